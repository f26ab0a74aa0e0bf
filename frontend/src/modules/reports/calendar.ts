/** The company's accounting calendar (years, months, the current period), fetched once per company. */
import { ref, watch, type Ref } from 'vue'
import { api, ok } from '@/shared/api/client'
import { errorMessage } from '@/shared/api/problem'
import { defaultPeriod, type CurrentPeriod } from './period'

function requestCalendar(companyId: number) {
  return ok(api.GET('/api/calendar', { params: { query: { company_id: companyId } } }))
}

export type Calendar = Awaited<ReturnType<typeof requestCalendar>>

const cache = new Map<number, Promise<Calendar>>()

function fetchCalendar(companyId: number): Promise<Calendar> {
  let pending = cache.get(companyId)
  if (!pending) {
    pending = requestCalendar(companyId)
    pending.catch(() => cache.delete(companyId))
    cache.set(companyId, pending)
  }
  return pending
}

/**
 * The calendar of the current company. `ready` turns true once it is known (or failed: then
 * `error` says why and `current` falls back to today's month), so pages wait for it before
 * they ask for a report with the default period.
 */
export function useCalendar(companyId: Ref<number | null>) {
  const calendar = ref<Calendar | null>(null)
  const ready = ref(false)
  const error = ref('')
  const current = ref<CurrentPeriod>(defaultPeriod(null))

  watch(companyId, async (id) => {
    ready.value = false
    error.value = ''
    if (id === null) return
    try {
      const answer = await fetchCalendar(id)
      if (companyId.value !== id) return
      calendar.value = answer
      current.value = defaultPeriod(answer.current)
    } catch (failure) {
      if (companyId.value !== id) return
      calendar.value = null
      current.value = defaultPeriod(null)
      error.value = errorMessage(failure)
    }
    ready.value = true
  }, { immediate: true })

  return { calendar, ready, error, current }
}
