/** The company's partners for a filter's select (empty when the user may not list them). */
import { ref, watch, type Ref } from 'vue'
import { api, ok } from '@/shared/api/client'

export interface PartnerOption {
  id: number
  name: string
  /** C customer, S supplier, E employee. */
  kind: string
}

export function usePartners(companyId: Ref<number | null>) {
  const partners = ref<PartnerOption[]>([])
  watch(companyId, async (id) => {
    partners.value = []
    if (id === null) return
    try {
      const answer = await ok(api.GET('/api/data-entry/nomenclature/partners', { params: { query: { company_id: id, limit: 500 } } }))
      if (companyId.value === id) partners.value = answer.items.map((item) => ({ id: item.partner_id, name: item.name, kind: item.kind }))
    } catch {
      // no partner list (no right to it, or the ledger is away): the table's partner links still filter
    }
  }, { immediate: true })
  return partners
}
