import type { RouteRecordRaw } from 'vue-router'

/** /jobs: the user's own exports and OCR readings (any logged-in user). */
export const routes: RouteRecordRaw[] = [
  { path: '/jobs', component: () => import('./JobsPage.vue'), meta: { title: 'Lucrări' } },
]
