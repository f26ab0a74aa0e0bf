import { describe, expect, it } from 'vitest'
import { STICKY_GAP_PX, stickyPadding } from '@/shared/sticky-padding'

describe('stickyPadding', () => {
  it('keeps a focused field clear of a sticky or fixed bar: its height, rounded up, and a gap', () => {
    expect(stickyPadding(57, 'sticky')).toBe(`${57 + STICKY_GAP_PX}px`)
    expect(stickyPadding(112.4, 'sticky')).toBe(`${113 + STICKY_GAP_PX}px`)
    expect(stickyPadding(48, 'fixed')).toBe(`${48 + STICKY_GAP_PX}px`)
  })

  it('needs no room for a bar that scrolls with the page (a phone) or has no height', () => {
    expect(stickyPadding(113, 'static')).toBe('0px')
    expect(stickyPadding(113, 'relative')).toBe('0px')
    expect(stickyPadding(0, 'sticky')).toBe('0px')
    expect(stickyPadding(Number.NaN, 'sticky')).toBe('0px')
  })
})
