import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '../src/shared/api/problem'
import { fitWithin, jpegName, needsShrink } from '../src/shared/image-shrink'
import { uploadForm, type Sent, type TokenSource } from '../src/shared/upload'

function tokens(refreshes: boolean): TokenSource & { refreshed: number } {
  let current = 'old'
  return {
    refreshed: 0,
    token: async () => current,
    async refresh() {
      this.refreshed += 1
      if (refreshes) current = 'new'
      return refreshes
    },
  }
}

describe('uploadForm', () => {
  it('returns the JSON of a success', async () => {
    const transport = vi.fn(async (): Promise<Sent> => ({ status: 202, body: { job_id: 'j1' } }))
    await expect(uploadForm('/api/x', () => new FormData(), {}, tokens(true), transport)).resolves.toEqual({ job_id: 'j1' })
    expect(transport).toHaveBeenCalledTimes(1)
  })

  it('refreshes once on 401 and sends a fresh body with the new token', async () => {
    const source = tokens(true)
    const bodies: FormData[] = []
    const transport = vi.fn(async (_url: string, body: FormData, token: string | null): Promise<Sent> => {
      bodies.push(body)
      return token === 'new' ? { status: 201, body: { ok: true } } : { status: 401, body: null }
    })
    await expect(uploadForm('/api/x', () => new FormData(), {}, source, transport)).resolves.toEqual({ ok: true })
    expect(source.refreshed).toBe(1)
    expect(transport.mock.calls.map((call) => call[2])).toEqual(['old', 'new'])
    expect(bodies[0]).not.toBe(bodies[1])
  })

  it('gives up after one refresh and when the refresh is refused', async () => {
    const transport = vi.fn(async (): Promise<Sent> => ({ status: 401, body: null }))
    const error = await uploadForm('/api/x', () => new FormData(), {}, tokens(false), transport).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(401)
    expect(transport).toHaveBeenCalledTimes(1)
  })

  it("throws the server's problem detail", async () => {
    const problem = { status: 415, title: 'Tip de fișier neacceptat', detail: 'Fișierul nu este o imagine sau un PDF.' }
    const transport = async (): Promise<Sent> => ({ status: 415, body: problem })
    const error = (await uploadForm('/api/x', () => new FormData(), {}, tokens(true), transport).catch((e: unknown) => e)) as ApiError
    expect(error.message).toBe('Fișierul nu este o imagine sau un PDF.')
    expect(error.problem.title).toBe('Tip de fișier neacceptat')
  })

  it('says something in Romanian when the answer has no problem body', async () => {
    const transport = async (): Promise<Sent> => ({ status: 413, body: null })
    const error = (await uploadForm('/api/x', () => new FormData(), {}, tokens(true), transport).catch((e: unknown) => e)) as ApiError
    expect(error.message).toBe('Fișierul este prea mare.')
  })
})

describe('image shrinking', () => {
  it('fits the longest side in 2500 px, keeping the proportions', () => {
    expect(fitWithin(4000, 3000)).toEqual({ width: 2500, height: 1875 })
    expect(fitWithin(3000, 6000)).toEqual({ width: 1250, height: 2500 })
    expect(fitWithin(1200, 1600)).toEqual({ width: 1200, height: 1600 })
  })

  it('shrinks large sides or large files only', () => {
    expect(needsShrink(2501, 100, 1000)).toBe(true)
    expect(needsShrink(2500, 2500, 3 * 1024 * 1024)).toBe(false)
    expect(needsShrink(1000, 1000, 3 * 1024 * 1024 + 1)).toBe(true)
  })

  it('names the JPEG after the original', () => {
    expect(jpegName('IMG_0001.HEIC')).toBe('IMG_0001.jpg')
    expect(jpegName('bon')).toBe('bon.jpg')
  })
})
