import type { RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  {
    path: '/data-entry/receipts',
    component: () => import('./ReceiptsPage.vue'),
    meta: { title: 'Bonuri fiscale' },
  },
  {
    path: '/data-entry/receipts/new',
    component: () => import('./NewReceiptPage.vue'),
    meta: { title: 'Bon nou', roles: ['operator'] },
  },
  {
    path: '/data-entry/receipts/:id',
    component: () => import('./ReceiptPage.vue'),
    meta: { title: 'Bon fiscal' },
  },
  {
    path: '/data-entry/approvals',
    component: () => import('./ApprovalsPage.vue'),
    meta: { title: 'Bonuri de aprobat', roles: ['approver'] },
  },
]
