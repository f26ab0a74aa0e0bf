import type { RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  { path: '/reports', redirect: (to) => ({ path: '/reports/dashboard', query: to.query }) },
  { path: '/reports/dashboard', component: () => import('./DashboardPage.vue'), meta: { title: 'Tablou de bord' } },
  { path: '/reports/invoices', component: () => import('./InvoicesPage.vue'), meta: { title: 'Facturi' } },
  { path: '/reports/aging', component: () => import('./AgingPage.vue'), meta: { title: 'Scadențe' } },
  { path: '/reports/treasury', component: () => import('./TreasuryPage.vue'), meta: { title: 'Trezorerie' } },
  { path: '/reports/trial-balance', component: () => import('./TrialBalancePage.vue'), meta: { title: 'Balanța de verificare' } },
]
