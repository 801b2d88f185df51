// Reception hours: see schedule.h for the semantics. Everything here is pure
// computation over the spec; the only outside data is the tz database behind
// `spec.tz`.
#include "directory/schedule.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <exception>
#include <utility>

namespace sportello::directory {
namespace {

constexpr int kMinutesPerDay = 1440;

using LocalDays = date::local_days;
using LocalSeconds = date::local_seconds;

bool knownChannel(const std::string& c) {
  return std::find(std::begin(kScheduleChannels), std::end(kScheduleChannels), c) !=
         std::end(kScheduleChannels);
}

LocalDays localDayOf(const date::time_zone* tz, Seconds t) {
  return date::floor<date::days>(tz->to_local(t));
}

// Local → UTC following the header's DST rules. The `choose` overloads never
// throw: a local time in a skipped hour maps to the transition instant, in a
// repeated hour to the earlier (starts) or later (ends) instant.
Seconds startInstant(const date::time_zone* tz, LocalSeconds t) {
  return tz->to_sys(t, date::choose::earliest);
}
Seconds endInstant(const date::time_zone* tz, LocalSeconds t) {
  return tz->to_sys(t, date::choose::latest);
}

// Fixed-date national holidays, by month and day.
std::string_view fixedNationalHoliday(int year, unsigned month, unsigned day) {
  switch (month * 100 + day) {
    case 101:
      return "Capodanno";
    case 106:
      return "Epifania";
    case 425:
      return "Festa della Liberazione";
    case 501:
      return "Festa del Lavoro";
    case 602:
      return "Festa della Repubblica";
    case 815:
      return "Ferragosto";
    case 1004:
      // Restored as a national holiday from 2026 (law of 2025).
      return year >= 2026 ? "San Francesco d'Assisi" : "";
    case 1101:
      return "Ognissanti";
    case 1208:
      return "Immacolata Concezione";
    case 1225:
      return "Natale";
    case 1226:
      return "Santo Stefano";
    default:
      return "";
  }
}

// National holiday for `d` given that year's Easter Sunday. Fixed dates win
// when Easter (Monday) falls on one of them (e.g. Easter Monday on 25 April
// 2011).
std::string_view nationalHoliday(date::year_month_day d, date::sys_days easter) {
  std::string_view fixed =
      fixedNationalHoliday(int(d.year()), unsigned(d.month()), unsigned(d.day()));
  if (!fixed.empty()) return fixed;
  date::sys_days day{d};
  if (day == easter) return "Pasqua";
  if (day == easter + date::days{1}) return "Lunedì dell'Angelo";
  return "";
}

std::string_view holidayView(const ScheduleSpec& spec, date::year_month_day d,
                             date::sys_days easter) {
  std::string_view national = nationalHoliday(d, easter);
  if (!national.empty()) return national;
  if (spec.patronDay && spec.patronDay->month() == d.month() && spec.patronDay->day() == d.day()) {
    return spec.patronName.empty() ? std::string_view{"Festa del santo patrono"}
                                   : std::string_view{spec.patronName};
  }
  for (const Holiday& h : spec.extraHolidays) {
    if (h.day == d) return h.name.empty() ? std::string_view{"Festività locale"} : h.name;
  }
  return "";
}

struct DayInfo {
  bool exception = false;    // a dated exception decided the day
  std::string_view holiday;  // filled when asked for, or when it closed the day
};

// Evaluates the hours of one channel day by day. Cheap to construct; caches
// Easter per year.
class DayEvaluator {
 public:
  DayEvaluator(const ScheduleSpec& spec, const std::optional<std::string>& channel)
      : spec_(spec), channel_(channel) {
    if (channel_) {
      ownRules_ = std::any_of(spec.rules.begin(), spec.rules.end(),
                              [&](const WeeklyRule& r) { return r.channel == channel_; });
    }
  }

  // Appends the local ranges of day `d` (in rule / exception order) to `out`.
  // When `note` is given, the notes of the applied exceptions are appended to
  // it; when `wantHoliday`, the holiday name is reported even if an exception
  // overrides it.
  DayInfo plan(LocalDays d, std::vector<MinuteRange>& out, std::string* note, bool wantHoliday) {
    const date::year_month_day ymd{d};
    DayInfo info;
    // 1. Exceptions for this very channel.
    if (channel_) info.exception = applyExceptions(ymd, &*channel_, out, note);
    // 2. General exceptions: they replace the general hours, so they apply in
    // full to the
    //    general hours and to channels that follow them; a channel with its own
    //    weekly rules only inherits a general closure (the office is closed),
    //    not general opening hours.
    if (!info.exception) {
      if (!ownRules_) {
        info.exception = applyExceptions(ymd, nullptr, out, note);
      } else if (generalClosure(ymd)) {
        info.exception = true;
        if (note) applyExceptions(ymd, nullptr, out,
                                  note);  // notes only: nothing is open
      }
    }
    if (info.exception && !wantHoliday) return info;
    info.holiday = holidayView(spec_, ymd, easterOf(int(ymd.year())));
    if (info.exception || !info.holiday.empty()) return info;
    // 3. Weekly rules of the channel if it has its own, else the general ones.
    const int iso = int(date::weekday{d}.iso_encoding());
    for (const WeeklyRule& r : spec_.rules) {
      if (r.weekday != iso) continue;
      if (ownRules_ ? r.channel == channel_ : !r.channel.has_value()) out.push_back(r.range);
    }
    return info;
  }

  // Appends the UTC intervals starting on local day `d`, sorted by start.
  void appendIntervals(LocalDays d, std::vector<Interval>& out, std::vector<MinuteRange>& scratch) {
    scratch.clear();
    plan(d, scratch, nullptr, false);
    const size_t first = out.size();
    const LocalSeconds midnight{d};
    for (const MinuteRange& r : scratch) {
      const int endMin = r.endMin <= r.startMin ? r.endMin + kMinutesPerDay : r.endMin;
      const Seconds start = startInstant(spec_.tz, midnight + std::chrono::minutes{r.startMin});
      const Seconds end = endInstant(spec_.tz, midnight + std::chrono::minutes{endMin});
      if (start < end) out.push_back(Interval{start, end});
    }
    if (out.size() - first > 1) {
      std::sort(out.begin() + first, out.end(),
                [](const Interval& a, const Interval& b) { return a.start < b.start; });
    }
  }

 private:
  // Applies the exceptions of `ymd` for `channel` (nullptr: the general ones);
  // false if none.
  bool applyExceptions(date::year_month_day ymd, const std::string* channel,
                       std::vector<MinuteRange>& out, std::string* note) const {
    bool found = false;
    for (const DatedException& e : spec_.exceptions) {
      if (e.day != ymd) continue;
      if (channel ? !(e.channel && *e.channel == *channel) : e.channel.has_value()) continue;
      found = true;
      // Several exceptions on the same day and channel add up: their open
      // ranges are the day's hours; a closed one contributes none.
      if (!e.closed) out.insert(out.end(), e.ranges.begin(), e.ranges.end());
      if (note && !e.note.empty()) {
        if (!note->empty()) note->append("; ");
        note->append(e.note);
      }
    }
    return found;
  }

  // True when the general exceptions of `ymd` exist and all close the day.
  bool generalClosure(date::year_month_day ymd) const {
    bool found = false;
    for (const DatedException& e : spec_.exceptions) {
      if (e.day != ymd || e.channel.has_value()) continue;
      if (!e.closed && !e.ranges.empty()) return false;
      found = true;
    }
    return found;
  }

  date::sys_days easterOf(int year) {
    if (year != easterYear_) {
      easterYear_ = year;
      easter_ = date::sys_days{easterSunday(year)};
    }
    return easter_;
  }

  const ScheduleSpec& spec_;
  const std::optional<std::string>& channel_;
  bool ownRules_ = false;
  int easterYear_ = INT_MIN;
  date::sys_days easter_{};
};

// Merges touching or overlapping intervals of a start-sorted vector in place.
void mergeSorted(std::vector<Interval>& v) {
  size_t w = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (w > 0 && v[i].start <= v[w - 1].end) {
      v[w - 1].end = std::max(v[w - 1].end, v[i].end);
    } else {
      v[w++] = v[i];
    }
  }
  v.resize(w);
}

// Sorts local ranges and merges overlapping or touching ones that stay within
// the day; ranges crossing midnight are kept as they are.
void normalizeRanges(std::vector<MinuteRange>& v) {
  std::sort(v.begin(), v.end(), [](const MinuteRange& a, const MinuteRange& b) {
    return a.startMin != b.startMin ? a.startMin < b.startMin : a.endMin < b.endMin;
  });
  std::vector<MinuteRange> out;
  out.reserve(v.size());
  for (const MinuteRange& r : v) {
    const bool crosses = r.endMin <= r.startMin;
    if (!out.empty()) {
      MinuteRange& last = out.back();
      if (last == r) continue;
      const bool lastCrosses = last.endMin <= last.startMin;
      if (!crosses && !lastCrosses && r.startMin <= last.endMin) {
        last.endMin = std::max(last.endMin, r.endMin);
        continue;
      }
    }
    out.push_back(r);
  }
  v = std::move(out);
}

Error invalid(std::string message, std::string field) {
  return makeError(Errc::kInvalid, std::move(message), std::move(field));
}

Status validateRange(const MinuteRange& r, const std::string& prefix) {
  if (r.startMin < 0 || r.startMin >= kMinutesPerDay) {
    return invalid("orario non valido: l'inizio deve essere tra 00:00 e 23:59", prefix + ".start");
  }
  if (r.endMin <= 0 || r.endMin > kMinutesPerDay) {
    return invalid("orario non valido: la fine deve essere tra 00:01 e 24:00", prefix + ".end");
  }
  if (r.startMin == r.endMin) {
    return invalid("orario non valido: inizio e fine coincidono", prefix + ".end");
  }
  return okStatus();
}

Status validateChannel(const std::optional<std::string>& channel, const std::string& prefix) {
  if (channel && !knownChannel(*channel)) {
    return invalid("canale sconosciuto: usare walk_in, video, chat, phone o email",
                   prefix + ".channel");
  }
  return okStatus();
}

}  // namespace

Status validate(const ScheduleSpec& spec) {
  if (spec.tz == nullptr) return invalid("fuso orario mancante", "tz");
  for (size_t i = 0; i < spec.rules.size(); ++i) {
    const WeeklyRule& r = spec.rules[i];
    const std::string prefix = "rules[" + std::to_string(i) + "]";
    if (r.weekday < 1 || r.weekday > 7) {
      return invalid("giorno della settimana non valido (1 = lunedì … 7 = domenica)",
                     prefix + ".weekday");
    }
    SP_TRY(validateRange(r.range, prefix));
    SP_TRY(validateChannel(r.channel, prefix));
  }
  for (size_t i = 0; i < spec.exceptions.size(); ++i) {
    const DatedException& e = spec.exceptions[i];
    const std::string prefix = "exceptions[" + std::to_string(i) + "]";
    if (!e.day.ok()) return invalid("data non valida", prefix + ".day");
    if (!e.closed) {
      if (e.ranges.empty()) {
        return invalid("indicare almeno un orario oppure segnare il giorno come chiuso",
                       prefix + ".ranges");
      }
      for (size_t j = 0; j < e.ranges.size(); ++j) {
        SP_TRY(validateRange(e.ranges[j], prefix + ".ranges[" + std::to_string(j) + "]"));
      }
    }
    SP_TRY(validateChannel(e.channel, prefix));
  }
  for (size_t i = 0; i < spec.extraHolidays.size(); ++i) {
    if (!spec.extraHolidays[i].day.ok()) {
      return invalid("data non valida", "extraHolidays[" + std::to_string(i) + "].day");
    }
  }
  if (spec.patronDay && !spec.patronDay->ok()) return invalid("data non valida", "patronDay");
  return okStatus();
}

date::year_month_day easterSunday(int year) {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return date::year{year} / date::month{unsigned(month)} / date::day{unsigned(day)};
}

std::string italianHoliday(date::year_month_day d) {
  if (!d.ok()) return {};
  return std::string{nationalHoliday(d, date::sys_days{easterSunday(int(d.year()))})};
}

std::string holidayName(const ScheduleSpec& spec, date::year_month_day d) {
  if (!d.ok()) return {};
  return std::string{holidayView(spec, d, date::sys_days{easterSunday(int(d.year()))})};
}

std::vector<Interval> intervalsBetween(const ScheduleSpec& spec,
                                       const std::optional<std::string>& channel, Seconds from,
                                       Seconds to) {
  std::vector<Interval> out;
  if (spec.tz == nullptr || from >= to) return out;
  try {
    DayEvaluator eval(spec, channel);
    std::vector<MinuteRange> scratch;
    // The day before `from` may hold an interval crossing midnight into it;
    // intervals of the day after `to`'s local day start after `to` but may
    // touch (and so merge with) ours.
    const LocalDays last = localDayOf(spec.tz, to) + date::days{1};
    for (LocalDays d = localDayOf(spec.tz, from) - date::days{1}; d <= last; d += date::days{1}) {
      eval.appendIntervals(d, out, scratch);
    }
    std::sort(out.begin(), out.end(),
              [](const Interval& a, const Interval& b) { return a.start < b.start; });
    mergeSorted(out);
    std::erase_if(out, [&](const Interval& iv) { return iv.end <= from || iv.start >= to; });
  } catch (const std::exception&) {
    // Only a broken tz database can get here; report no hours rather than
    // throw.
    out.clear();
  }
  return out;
}

OpenStatus statusAt(const ScheduleSpec& spec, const std::optional<std::string>& channel,
                    Seconds now) {
  const Seconds horizon = now + kStatusLookAhead;
  OpenStatus st;
  st.validUntil = horizon;
  if (spec.tz == nullptr) return st;
  try {
    DayEvaluator eval(spec, channel);
    std::vector<MinuteRange> scratch;
    std::vector<Interval> day;
    scratch.reserve(8);
    day.reserve(8);
    // Days are walked in order and the intervals of a day all start before
    // those of the next one, so the walk stops at the first day that settles
    // the answer (usually today or tomorrow). The day before `now` can hold an
    // interval crossing midnight.
    const LocalDays last = localDayOf(spec.tz, horizon) + date::days{1};
    bool open = false;
    bool settled = false;  // open: no later interval can extend openEnd
    Seconds openEnd{};
    for (LocalDays d = localDayOf(spec.tz, now) - date::days{1}; d <= last && !settled;
         d += date::days{1}) {
      day.clear();
      eval.appendIntervals(d, day, scratch);
      for (const Interval& iv : day) {
        if (open) {
          if (iv.start > openEnd) {  // a gap: the current interval ends at openEnd
            settled = true;
            break;
          }
          openEnd = std::max(openEnd, iv.end);
        } else if (iv.start <= now) {
          if (now < iv.end) {
            open = true;
            openEnd = iv.end;
          }
        } else {
          // The first interval starting after `now`: closed until then.
          if (iv.start <= horizon) {
            st.nextOpensAt = iv.start;
            st.validUntil = iv.start;
          }
          return st;
        }
      }
      if (open && !settled) {
        // Intervals of later days start no earlier than the next local
        // midnight.
        settled =
            startInstant(spec.tz, LocalSeconds{d + date::days{1}}) > openEnd || openEnd > horizon;
      }
    }
    st.open = open;
    if (open && openEnd <= horizon) {
      st.closesAt = openEnd;
      st.validUntil = openEnd;
    }
  } catch (const std::exception&) {
    // Only a broken tz database can get here: report closed and ask to check
    // again soon.
    st = OpenStatus{};
    st.validUntil = now + std::chrono::minutes{1};
  }
  return st;
}

std::vector<DayHours> weekOf(const ScheduleSpec& spec, const std::optional<std::string>& channel,
                             date::year_month_day day) {
  std::vector<DayHours> week;
  if (!day.ok()) return week;
  DayEvaluator eval(spec, channel);
  const LocalDays local{day};
  const LocalDays monday = local - date::days{int(date::weekday{local}.iso_encoding()) - 1};
  week.reserve(7);
  for (int i = 0; i < 7; ++i) {
    const LocalDays d = monday + date::days{i};
    DayHours h;
    h.day = date::year_month_day{d};
    h.weekday = i + 1;
    const DayInfo info = eval.plan(d, h.ranges, &h.note, true);
    normalizeRanges(h.ranges);
    h.closed = h.ranges.empty();
    h.exception = info.exception;
    h.holiday = std::string{info.holiday};
    week.push_back(std::move(h));
  }
  return week;
}

std::vector<std::string> channelsWithOwnHours(const ScheduleSpec& spec) {
  std::vector<std::string> out;
  for (const WeeklyRule& r : spec.rules) {
    if (r.channel) out.push_back(*r.channel);
  }
  for (const DatedException& e : spec.exceptions) {
    if (e.channel) out.push_back(*e.channel);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<int> parseHm(std::string_view s) {
  auto bad = [] { return invalid("orario non valido: usare il formato HH:MM", ""); };
  if (s.size() != 4 && s.size() != 5) return bad();
  const size_t colon = s.size() - 3;
  if (s[colon] != ':') return bad();
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  int hours = 0;
  for (size_t i = 0; i < colon; ++i) {
    if (!digit(s[i])) return bad();
    hours = hours * 10 + (s[i] - '0');
  }
  if (!digit(s[colon + 1]) || !digit(s[colon + 2])) return bad();
  const int minutes = (s[colon + 1] - '0') * 10 + (s[colon + 2] - '0');
  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) return bad();
  return hours * 60 + minutes;
}

std::string formatHm(int minutes) {
  minutes = std::clamp(minutes, 0, kMinutesPerDay);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

}  // namespace sportello::directory
