import type { RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = []
