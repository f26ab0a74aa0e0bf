/** Load a report whenever its parameters change; the last request wins. */
import { ref, shallowRef, watch } from 'vue'
import { errorMessage } from '@/shared/api/problem'

/**
 * `params` gives the query (or null while something it needs, like the calendar, is not known:
 * then nothing is shown);
 * `load` fetches it. The report reloads when the params change (compared by value); an answer
 * to a request that is no longer the latest is dropped.
 */
export function useReport<P, T>(params: () => P | null, load: (params: P) => Promise<T>) {
  const data = shallowRef<T | null>(null)
  const loading = ref(false)
  const error = ref('')
  let latest = 0

  async function run(current: P | null): Promise<void> {
    const ticket = ++latest
    if (current === null) {
      data.value = null
      loading.value = false
      return
    }
    loading.value = true
    error.value = ''
    try {
      const answer = await load(current)
      if (ticket !== latest) return
      data.value = answer
    } catch (failure) {
      if (ticket !== latest) return
      data.value = null
      error.value = errorMessage(failure)
    } finally {
      if (ticket === latest) loading.value = false
    }
  }

  watch(() => JSON.stringify(params()), () => void run(params()), { immediate: true })

  return { data, loading, error, reload: () => run(params()) }
}
