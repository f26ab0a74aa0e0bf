/** The companies the user may see, and the current one, held in the URL as `?company=<id>`. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { useRoute } from 'vue-router'
import { api, ok, type Schemas } from './api/client'

export type Company = Schemas['CompanyOut']

export const useCompanies = defineStore('companies', () => {
  const list = ref<Company[]>([])
  const loaded = ref(false)

  async function load(): Promise<Company[]> {
    if (!loaded.value) {
      list.value = await ok(api.GET('/api/companies'))
      loaded.value = true
    }
    return list.value
  }

  function reset(): void {
    list.value = []
    loaded.value = false
  }

  /** The id to use for a `?company=` value: it when the user has it, else their first company. */
  function allowed(requested: unknown): number | null {
    const id = Number(Array.isArray(requested) ? requested[0] : requested)
    if (list.value.some((company) => company.id === id)) return id
    return list.value[0]?.id ?? null
  }

  return { list, loaded, load, reset, allowed }
})

/** The current company of the page (from `?company=`), as an id and as the company. */
export function useCurrentCompany() {
  const route = useRoute()
  const companies = useCompanies()
  const id = computed(() => companies.allowed(route.query.company))
  const company = computed(() => companies.list.find((item) => item.id === id.value) ?? null)
  return { id, company }
}
