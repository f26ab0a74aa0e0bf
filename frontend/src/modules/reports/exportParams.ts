/** What an export job is asked for: the report's own parameters as the page sent them. */

export const EXPORT_REPORTS = ['dashboard', 'invoices', 'invoices_aging', 'treasury', 'trial_balance'] as const
export type ExportReport = (typeof EXPORT_REPORTS)[number]
export type ExportFormat = 'xlsx' | 'pdf' | 'csv'

export const EXPORT_FORMATS: { value: ExportFormat; label: string }[] = [
  { value: 'xlsx', label: 'Excel (XLSX)' },
  { value: 'pdf', label: 'PDF' },
  { value: 'csv', label: 'CSV' },
]

/** Parameters only a page of results has, never part of an export. */
const PAGING = new Set(['cursor', 'limit'])

/**
 * The export's `params`: the report's query (company_id included) without paging and without
 * empty values (the API's defaults apply to those).
 */
export function exportParams(query: Record<string, unknown>): Record<string, string | number | boolean> {
  const params: Record<string, string | number | boolean> = {}
  for (const [key, value] of Object.entries(query)) {
    if (PAGING.has(key) || value === null || value === undefined || value === '') continue
    if (typeof value === 'number' && !Number.isFinite(value)) continue
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') params[key] = value
  }
  return params
}

/** The request body of POST /api/reports/exports. */
export function exportRequest(report: ExportReport, format: ExportFormat, query: Record<string, unknown>) {
  return { report, format, params: exportParams(query) }
}
