/**
 * Sticky bars (the header, a form's action bar) must not hide the field the keyboard moves to: the browser keeps a
 * focused element clear of the root's scroll padding, so each bar keeps `--sticky-top` / `--sticky-bottom` on <html>
 * (styles.css turns them into scroll-padding) at its measured height while it is sticky.
 */
import { onBeforeUnmount, watch, type Ref } from 'vue'

export type StickySide = 'top' | 'bottom'

/** Room left between a focused field and the bar, in px. */
export const STICKY_GAP_PX = 8

/** The scroll padding a bar of `height` px with CSS `position` needs: its height and a gap when it stays on screen. */
export function stickyPadding(height: number, position: string): string {
  if ((position !== 'sticky' && position !== 'fixed') || !(height > 0)) return '0px'
  return `${Math.ceil(height) + STICKY_GAP_PX}px`
}

/** Keep `--sticky-<side>` on <html> at `target`'s height while it is sticky (0 once it is not, or gone). */
export function useStickyScrollPadding(target: Ref<HTMLElement | null>, side: StickySide): void {
  const name = `--sticky-${side}`
  const root = document.documentElement
  let observer: ResizeObserver | null = null
  const update = (): void => {
    const el = target.value
    const value = el ? stickyPadding(el.getBoundingClientRect().height, getComputedStyle(el).position) : '0px'
    root.style.setProperty(name, value)
  }
  watch(target, (el) => {
    observer?.disconnect()
    observer = null
    if (el) {
      observer = new ResizeObserver(update)
      observer.observe(el)
    }
    update()
  }, { immediate: true, flush: 'post' })
  window.addEventListener('resize', update)
  onBeforeUnmount(() => {
    observer?.disconnect()
    window.removeEventListener('resize', update)
    root.style.removeProperty(name)
  })
}
