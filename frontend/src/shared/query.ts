/**
 * Page filters kept in the URL query under the API's own parameter names, so a link or a
 * reload opens the same view. Reading gives the default when the query lacks (or garbles) a
 * value; writing replaces the URL (no history entry per keystroke) and keeps the company.
 */
import { computed, type WritableComputedRef } from 'vue'
import { useRoute, useRouter, type LocationQueryRaw } from 'vue-router'

type Scalar = string | number | boolean

function first(value: unknown): string | undefined {
  const item = Array.isArray(value) ? value[0] : value
  return typeof item === 'string' ? item : undefined
}

function parse<T extends Scalar>(raw: string | undefined, fallback: T): T {
  if (raw === undefined || raw === '') return fallback
  if (typeof fallback === 'number') {
    const number = Number(raw)
    return (Number.isFinite(number) ? number : fallback) as T
  }
  if (typeof fallback === 'boolean') return (raw === 'true') as T
  return raw as T
}

/** One filter bound to `?name=`; `fallback` gives its type and its value when absent. */
export function useQueryParam<T extends Scalar>(name: string, fallback: () => T): WritableComputedRef<T> {
  const route = useRoute()
  const router = useRouter()
  return computed({
    get: () => parse(first(route.query[name]), fallback()),
    set: (value: T) => {
      const query: LocationQueryRaw = { ...route.query, [name]: String(value) }
      if (value === '' || value === null) delete query[name]
      void router.replace({ query })
    },
  })
}

/** Set several query values at once (one navigation). */
export function useQueryUpdate() {
  const route = useRoute()
  const router = useRouter()
  return (values: Record<string, Scalar | null | undefined>) => {
    const query: LocationQueryRaw = { ...route.query }
    for (const [key, value] of Object.entries(values)) {
      if (value === null || value === undefined || value === '') delete query[key]
      else query[key] = String(value)
    }
    return router.replace({ query })
  }
}
