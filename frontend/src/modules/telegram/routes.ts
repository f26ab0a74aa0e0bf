import type { RouteRecordRaw } from 'vue-router'

/** /telegram: link the user's Telegram account to the bot (any logged-in user). */
export const routes: RouteRecordRaw[] = [
  { path: '/telegram', component: () => import('./TelegramPage.vue'), meta: { title: 'Telegram' } },
]
