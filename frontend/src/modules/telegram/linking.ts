/**
 * What the Telegram page shows, as pure functions: the code's countdown (on the page's clock, set
 * by the server's), its spoken announcement, the bot's state in Romanian, and which view applies.
 */

/** The bot part of GET /api/telegram/status (absent when the server runs no bot part). */
export interface BotInfo {
  status: string
  username: string | null
}

/** The fields of GET /api/telegram/status that the page reads. */
export interface LinkStatus {
  linked: boolean
  telegram_username: string | null
  linked_at: string | null
  bot?: BotInfo | null
}

/** A code from POST /api/telegram/auth/code, with when it expires on this page's clock. */
export interface ShownCode {
  code: string
  deep_link: string | null
  /** Date.now() at which the code expires (the server's lifetime, from when the answer came). */
  deadline: number
}

/**
 * When a code expires on the page's clock: its lifetime as the server sees it (`expires_at` minus the
 * answer's `Date` header, to the second) counted from `receivedAt`, so a browser clock minutes off still counts down
 * from 10:00. Without a readable Date header, `expires_at` on the page's clock.
 */
export function localDeadline(expiresAt: string, serverDate: string | null, receivedAt: number): number {
  const expires = Date.parse(expiresAt)
  if (Number.isNaN(expires)) return receivedAt
  const server = serverDate ? Date.parse(serverDate) : Number.NaN
  if (Number.isNaN(server)) return expires
  // The Date header is truncated to the second: the server's clock read up to a second past it. Take the
  // latest (the shortest lifetime), so the page never shows a code the server already refuses.
  return receivedAt + Math.max(0, expires - (server + 1000))
}

/** Whole seconds left until `deadline` (rounded up: 0 only once it has passed), never negative. */
export function secondsLeft(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000))
}

/** 599 → "9:59", 60 → "1:00", 0 → "0:00". */
export function formatCountdown(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds))
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`
}

/** 1 → "un minut", 5 → "5 minute", 20 → "20 de minute" (Romanian counts from 20 take "de"). */
export function minutesText(minutes: number): string {
  if (minutes === 1) return 'un minut'
  const rest = minutes % 100
  return minutes >= 20 && (rest === 0 || rest >= 20) ? `${minutes} de minute` : `${minutes} minute`
}

/**
 * What a screen reader is told about the countdown: it changes once a minute (then at the last
 * minute and at the end), so a live region reading it is not a voice counting every second.
 */
export function countdownAnnouncement(seconds: number): string {
  if (seconds <= 0) return 'Codul a expirat.'
  if (seconds <= 60) return 'Codul expiră în mai puțin de un minut.'
  return `Codul expiră în ${minutesText(Math.ceil(seconds / 60))}.`
}

/** How the bot's state reads on the page, and its colour (the badge classes of styles.css). */
export interface BotStateText {
  text: string
  tone: 'ok' | 'warn' | 'bad' | ''
}

/** The bot's state in plain Romanian; null when the server runs no bot part (nothing to say). */
export function botStateText(bot: BotInfo | null | undefined): BotStateText | null {
  if (!bot) return null
  const name = bot.username ? ` @${bot.username}` : ''
  switch (bot.status) {
    case 'running':
      return { text: `Botul${name} este pornit și răspunde în Telegram.`, tone: 'ok' }
    case 'disabled':
      return { text: 'Botul nu este configurat pe server: nu vă poate răspunde în Telegram până când administratorul nu îl configurează.', tone: 'warn' }
    case 'connecting':
      return { text: `Botul${name} se conectează la Telegram…`, tone: 'warn' }
    case 'error':
      return { text: `Botul${name} nu poate comunica acum cu Telegram. Serverul reîncearcă singur; încercați din nou peste câteva minute.`, tone: 'bad' }
    default:
      return { text: `Starea botului: ${bot.status}.`, tone: '' }
  }
}

/** What the page shows: still loading, the link, no link and no code, a live code, or a code that expired. */
export type LinkView = 'loading' | 'linked' | 'unlinked' | 'code' | 'expired'

/** The view for the last status read, the code on the page (if any) and the time. */
export function linkView(status: LinkStatus | null, code: ShownCode | null, now: number): LinkView {
  if (status === null) return 'loading'
  if (status.linked) return 'linked'
  if (code === null) return 'unlinked'
  return secondsLeft(code.deadline, now) > 0 ? 'code' : 'expired'
}

/** Poll the status while a live code waits for /start in Telegram (and only then). */
export function shouldPollStatus(view: LinkView): boolean {
  return view === 'code'
}

/** The message to type in Telegram: "/start K7PM4XQ2". */
export function startCommand(code: string): string {
  return `/start ${code}`
}
