import { describe, expect, it } from 'vitest'
import {
  botStateText,
  countdownAnnouncement,
  formatCountdown,
  linkView,
  localDeadline,
  minutesText,
  secondsLeft,
  shouldPollStatus,
  startCommand,
  type LinkStatus,
  type ShownCode,
} from '../src/modules/telegram/linking'

const RECEIVED = Date.parse('2026-12-06T10:00:00.400Z')

describe('the code expires on the page clock, as long as the server gave it', () => {
  it('counts the lifetime from the answer, whatever the browser clock says', () => {
    // issued at 10:00:00.9 for ten minutes; the Date header says 10:00:00 (whole seconds, truncated)
    const deadline = localDeadline('2026-12-06T10:10:00.900Z', 'Sun, 06 Dec 2026 10:00:00 GMT', RECEIVED)
    expect(deadline).toBe(RECEIVED + 599_900)
    expect(formatCountdown(secondsLeft(deadline, RECEIVED))).toBe('10:00')
  })

  it('ends no later than the server: the Date header may be up to a second behind its clock', () => {
    // issued at 10:00:00.0 exactly: the page ends it a second early rather than late
    expect(localDeadline('2026-12-06T10:10:00Z', 'Sun, 06 Dec 2026 10:00:00 GMT', RECEIVED)).toBe(RECEIVED + 599_000)
  })

  it('ignores a browser clock five minutes fast', () => {
    const fast = Date.parse('2026-12-06T10:05:00Z')
    const deadline = localDeadline('2026-12-06T10:10:00.5+00:00', 'Sun, 06 Dec 2026 10:00:00 GMT', fast)
    expect(secondsLeft(deadline, fast)).toBe(600)
  })

  it('takes expires_at as it is without a Date header', () => {
    expect(localDeadline('2026-12-06T10:10:00Z', null, RECEIVED)).toBe(Date.parse('2026-12-06T10:10:00Z'))
    expect(localDeadline('2026-12-06T10:10:00Z', 'not a date', RECEIVED)).toBe(Date.parse('2026-12-06T10:10:00Z'))
  })

  it('never gives a code already expired on the server time left', () => {
    expect(localDeadline('2026-12-06T09:59:00Z', 'Sun, 06 Dec 2026 10:00:00 GMT', RECEIVED)).toBe(RECEIVED)
    expect(localDeadline('2026-12-06T10:00:00.5Z', 'Sun, 06 Dec 2026 10:00:00 GMT', RECEIVED)).toBe(RECEIVED)
  })

  it('treats an unreadable expires_at as expired', () => {
    expect(localDeadline('mâine', 'Sun, 06 Dec 2026 10:00:00 GMT', RECEIVED)).toBe(RECEIVED)
  })
})

describe('the countdown', () => {
  it('rounds the seconds left up, and reaches 0 only once the deadline passed', () => {
    expect(secondsLeft(10_000, 0)).toBe(10)
    expect(secondsLeft(10_000, 9_001)).toBe(1)
    expect(secondsLeft(10_000, 10_000)).toBe(0)
    expect(secondsLeft(10_000, 99_999)).toBe(0)
  })

  it('reads as minutes and seconds', () => {
    expect(formatCountdown(600)).toBe('10:00')
    expect(formatCountdown(599)).toBe('9:59')
    expect(formatCountdown(61)).toBe('1:01')
    expect(formatCountdown(9)).toBe('0:09')
    expect(formatCountdown(0)).toBe('0:00')
    expect(formatCountdown(-3)).toBe('0:00')
  })

  it('is announced once a minute, then in the last minute and at the end', () => {
    expect(countdownAnnouncement(600)).toBe('Codul expiră în 10 minute.')
    expect(countdownAnnouncement(541)).toBe('Codul expiră în 10 minute.')
    expect(countdownAnnouncement(540)).toBe('Codul expiră în 9 minute.')
    expect(countdownAnnouncement(61)).toBe('Codul expiră în 2 minute.')
    expect(countdownAnnouncement(60)).toBe('Codul expiră în mai puțin de un minut.')
    expect(countdownAnnouncement(1)).toBe('Codul expiră în mai puțin de un minut.')
    expect(countdownAnnouncement(0)).toBe('Codul a expirat.')
  })

  it('counts minutes in Romanian', () => {
    expect(minutesText(1)).toBe('un minut')
    expect(minutesText(2)).toBe('2 minute')
    expect(minutesText(19)).toBe('19 minute')
    expect(minutesText(20)).toBe('20 de minute')
    expect(minutesText(101)).toBe('101 minute')
    expect(minutesText(120)).toBe('120 de minute')
    expect(minutesText(100)).toBe('100 de minute')
  })
})

describe('the bot state in plain Romanian', () => {
  it('says nothing when the server runs no bot part', () => {
    expect(botStateText(undefined)).toBeNull()
    expect(botStateText(null)).toBeNull()
  })

  it('names each state', () => {
    expect(botStateText({ status: 'running', username: 'roa2web_bot' })).toEqual({
      text: 'Botul @roa2web_bot este pornit și răspunde în Telegram.', tone: 'ok',
    })
    const disabled = botStateText({ status: 'disabled', username: null })
    expect(disabled?.text).toContain('Botul nu este configurat pe server')
    expect(disabled?.tone).toBe('warn')
    expect(botStateText({ status: 'connecting', username: null })).toEqual({
      text: 'Botul se conectează la Telegram…', tone: 'warn',
    })
    expect(botStateText({ status: 'error', username: 'roa2web_bot' })?.tone).toBe('bad')
    expect(botStateText({ status: 'error', username: 'roa2web_bot' })?.text).toMatch(/^Botul @roa2web_bot nu poate comunica/)
  })

  it('shows a state this page does not know as it is', () => {
    expect(botStateText({ status: 'stopping', username: null })).toEqual({ text: 'Starea botului: stopping.', tone: '' })
  })
})

describe('which view the page shows', () => {
  const unlinked: LinkStatus = { linked: false, telegram_username: null, linked_at: null }
  const linked: LinkStatus = { linked: true, telegram_username: 'ana_pop', linked_at: '2026-12-06T10:01:00Z' }
  const code: ShownCode = { code: 'K7PM4XQ2', deep_link: null, deadline: 600_000 }

  it('waits for the first status', () => {
    expect(linkView(null, null, 0)).toBe('loading')
    expect(linkView(null, code, 0)).toBe('loading')
  })

  it('shows the link once linked, even with a code on the page', () => {
    expect(linkView(linked, null, 0)).toBe('linked')
    expect(linkView(linked, code, 0)).toBe('linked')
  })

  it('shows the button, a live code, then the expired code', () => {
    expect(linkView(unlinked, null, 0)).toBe('unlinked')
    expect(linkView(unlinked, code, 599_999)).toBe('code')
    expect(linkView(unlinked, code, 600_000)).toBe('expired')
  })

  it('polls the status only while a live code waits', () => {
    expect(shouldPollStatus('code')).toBe(true)
    for (const view of ['loading', 'linked', 'unlinked', 'expired'] as const) expect(shouldPollStatus(view)).toBe(false)
  })

  it('tells what to send the bot', () => {
    expect(startCommand('K7PM4XQ2')).toBe('/start K7PM4XQ2')
  })
})
