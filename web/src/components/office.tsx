// An office as the public sees it: status badge, channels, this week's hours, channel hours.

import { tb } from '../booking/i18n-booking';
import type { DayHours, OpenStatus, PublicOffice } from '../api';
import { describeStatus, formatDayHours, formatDayShort, formatRanges, formatWeekday, localDate } from '../format';
import { t, tMaybe } from '../i18n';
import { tv } from '../reception/i18n-visit';
import { MESSAGE_HASH, visitUrl } from '../reception/links';
import { tk } from '../knowledge/i18n-kb';
import { schedaUrl, type ArticleHit } from '../knowledge/kb-api';
import { Icon } from './layout';

/** A phone's width: the office cards put their week and details behind "Orari e informazioni". */
const PHONE = '(max-width: 575.98px)';
const isPhone = () => typeof window !== 'undefined' && !!window.matchMedia?.(PHONE).matches;

const CHANNEL_ICON: Record<string, string> = {
  walk_in: 'user',
  video: 'video',
  chat: 'comment',
  phone: 'telephone',
  email: 'mail',
  kiosk: 'pa',
};

export function channelName(c: string): string {
  return tMaybe(`channel.${c}`, c);
}

export function StatusBadge({ status, now, tz }: { status: OpenStatus; now: string; tz: string }) {
  return (
    <span class={`office-status ${status.open ? 'is-open' : 'is-closed'}`} data-open={status.open ? 'true' : 'false'}>
      {describeStatus(status, now, tz)}
    </span>
  );
}

function ChannelBadges({ channels }: { channels: string[] }) {
  return (
    <ul class="channel-list">
      {channels.map((c) => (
        <li>
          <span class="channel-badge" data-channel={c}>
            <Icon name={CHANNEL_ICON[c] ?? 'info-circle'} />
            {channelName(c)}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function WeekTable({ office, week, today }: { office: PublicOffice; week: DayHours[]; today: string }) {
  return (
    <table class="table table-sm hours-table" id={`hours-${office.slug}`}>
      <caption>{t('offices.week', { office: office.name })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('offices.day')}</th>
          <th scope="col">{t('offices.hours')}</th>
        </tr>
      </thead>
      <tbody>
        {week.map((d) => {
          const isToday = d.date === today;
          return (
            <tr class={isToday ? 'is-today' : ''} data-date={d.date} data-weekday={d.weekday}>
              <th scope="row" aria-current={isToday ? 'date' : undefined}>
                {formatDayShort(d.date)}
                {isToday && (
                  <>
                    {' '}
                    <span class="today-mark">{t('offices.today')}</span>
                  </>
                )}
              </th>
              <td>{formatDayHours(d)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** "Chat: mercoledì 14:00–17:00" (one line per channel with its own hours). */
export function channelHoursLines(office: PublicOffice): { channel: string; text: string }[] {
  const out: { channel: string; text: string }[] = [];
  for (const [channel, ch] of Object.entries(office.channel_hours ?? {})) {
    const days = (ch.week ?? []).filter((d) => !d.closed && d.intervals.length > 0);
    const name = channelName(channel);
    if (days.length === 0) out.push({ channel, text: t('offices.channelNone', { channel: name }) });
    else
      out.push({
        channel,
        text: `${name}: ${days.map((d) => `${formatWeekday(d.date)} ${formatRanges(d.intervals)}`).join('; ')}`,
      });
  }
  return out;
}

/** Links to the office's virtual reception (knock) and to its message form, for offices that
 *  receive by chat or video. The office's name completes the link text for screen readers. */
function ReceptionLinks({ office, slug }: { office: PublicOffice; slug: string }) {
  if (!office.channels.includes('chat') && !office.channels.includes('video')) return null;
  const href = visitUrl(slug, office.slug);
  const who = <span class="visually-hidden"> {tv('offices.forOffice', { office: office.name })}</span>;
  return (
    <p class="reception-links d-flex flex-wrap gap-2">
      <a class="btn btn-primary btn-sm knock-link" href={href}>
        <Icon name="video" className="icon-white me-1" />
        {tv('offices.knock')}
        {who}
      </a>
      <a class="btn btn-outline-primary btn-sm message-link" href={href + MESSAGE_HASH}>
        <Icon name="mail" className="me-1" />
        {tv('offices.message')}
        {who}
      </a>
    </p>
  );
}

/** "Prenota un appuntamento" for offices that take appointments (/{slug}/prenota?office=…). */
function BookingLink({ office, slug }: { office: PublicOffice; slug: string }) {
  return (
    <p class="booking-link">
      <a class="btn btn-outline-primary btn-sm" href={`/${encodeURIComponent(slug)}/prenota?office=${encodeURIComponent(office.slug)}`}>
        <Icon name="calendar" className="me-1" />
        {tb('offices.book')}
        <span class="visually-hidden"> {tb('offices.bookFor', { office: office.name })}</span>
      </a>
    </p>
  );
}

/** "Servizi e informazioni": the office's published schede. */
function OfficeArticles({ office, slug, articles }: { office: PublicOffice; slug: string; articles: ArticleHit[] }) {
  if (articles.length === 0) return null;
  const id = `office-${office.slug}-articles`;
  return (
    <>
      <h3 class="h6" id={id}>
        {tk('offices.articles')}
      </h3>
      <ul class="office-articles" aria-labelledby={id}>
        {articles.map((a) => (
          <li data-article={a.slug}>
            <a href={schedaUrl(slug, a.slug)}>{a.title}</a>
          </li>
        ))}
      </ul>
    </>
  );
}

export function OfficeCard({
  office,
  now,
  tz,
  slug,
  bookable = false,
  articles = [],
}: {
  office: PublicOffice;
  now: string;
  tz: string;
  slug?: string;
  bookable?: boolean;
  articles?: ArticleHit[];
}) {
  const today = localDate(now, tz);
  const titleId = `office-${office.slug}-title`;
  const chLines = channelHoursLines(office);
  return (
    <article class="office-card card" id={`office-${office.slug}`} data-office={office.slug} aria-labelledby={titleId}>
      <div class="card-body">
        <h2 class="card-title h4" id={titleId}>
          {office.name}
        </h2>
        <p class="mb-2">
          <span class="visually-hidden">{t('offices.statusLabel')}: </span>
          <StatusBadge status={office.status} now={now} tz={tz} />
        </p>
        {/* What the citizen came to do comes first: knock, leave a message, book. */}
        {slug && <ReceptionLinks office={office} slug={slug} />}
        {slug && bookable && <BookingLink office={office} slug={slug} />}
        {office.description && <p class="card-text">{office.description}</p>}
        <dl class="office-meta">
          {office.site && (
            <>
              <dt>{t('offices.where')}</dt>
              <dd>
                <Icon name="map-marker" className="me-1" />
                {office.site.name}
                {office.site.address ? `, ${office.site.address}` : ''}
              </dd>
            </>
          )}
          {(office.email || office.phone) && (
            <>
              <dt>{t('offices.contacts')}</dt>
              <dd>
                {office.email && (
                  <span class="d-block">
                    {t('offices.email')}: <a href={`mailto:${office.email}`}>{office.email}</a>
                  </span>
                )}
                {office.phone && (
                  <span class="d-block">
                    {t('offices.phone')}: <a href={`tel:${office.phone.replace(/\s+/g, '')}`}>{office.phone}</a>
                  </span>
                )}
              </dd>
            </>
          )}
        </dl>
        {office.channels.length > 0 && (
          <>
            <h3 class="h6">{t('offices.channels')}</h3>
            <ChannelBadges channels={office.channels} />
          </>
        )}
        {/* Open on a wide screen; on a phone closed, so that the next office is one swipe away. */}
        <details class="office-more" open={!isPhone()}>
          <summary>{t('offices.more')}</summary>
          {slug && <OfficeArticles office={office} slug={slug} articles={articles} />}
          <WeekTable office={office} week={office.week ?? []} today={today} />
          {chLines.length > 0 && (
            <>
              <h3 class="h6">{t('offices.channelHours')}</h3>
              <ul class="channel-hours">
                {chLines.map((l) => (
                  <li data-channel={l.channel}>{l.text}</li>
                ))}
              </ul>
            </>
          )}
        </details>
      </div>
    </article>
  );
}
