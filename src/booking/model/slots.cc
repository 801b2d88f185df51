// Appointment slots: see slots.h for the semantics. Pure computation over the plan; the only
// outside data is the tz database behind `plan.tz`.
#include "booking/model/slots.h"

#include <algorithm>
#include <exception>
#include <utility>

namespace sportello::booking {
namespace {

constexpr int kMinutesPerDay = 1440;

using directory::MinuteRange;
using LocalDays = date::local_days;
using LocalSeconds = date::local_seconds;

Error invalid(std::string message, std::string field) {
  return makeError(Errc::kInvalid, std::move(message), std::move(field));
}

std::string indexed(const char* name, size_t i) {
  return std::string{name} + "[" + std::to_string(i) + "]";
}

// A range within one day: 0 ≤ start < end ≤ 1440.
Status validateRange(const MinuteRange& r, const std::string& prefix) {
  if (r.startMin < 0 || r.startMin >= kMinutesPerDay) {
    return invalid("orario non valido: l'inizio deve essere tra 00:00 e 23:59", prefix + ".start");
  }
  if (r.endMin <= 0 || r.endMin > kMinutesPerDay) {
    return invalid("orario non valido: la fine deve essere tra 00:01 e 24:00", prefix + ".end");
  }
  if (r.endMin <= r.startMin) {
    return invalid("orario non valido: la fine deve seguire l'inizio nello stesso giorno",
                   prefix + ".end");
  }
  return okStatus();
}

Status validateWeekly(const std::vector<WeeklyPeriod>& v, const char* name) {
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string prefix = indexed(name, i);
    if (v[i].weekday < 1 || v[i].weekday > 7) {
      return invalid("giorno della settimana non valido (1 = lunedì … 7 = domenica)",
                     prefix + ".weekday");
    }
    SP_TRY(validateRange(v[i].range, prefix));
  }
  return okStatus();
}

// The holiday part of the plan as a directory spec, so that holidayName decides holidays
// exactly as the reception hours do.
directory::ScheduleSpec holidaySpec(const WorkingPlan& plan) {
  directory::ScheduleSpec spec;
  spec.tz = plan.tz;
  spec.patronDay = plan.patronDay;
  spec.patronName = plan.patronName;
  spec.extraHolidays = plan.extraHolidays;
  return spec;
}

// Sorts ranges and merges the overlapping or touching ones.
void mergeRanges(std::vector<MinuteRange>& v) {
  std::sort(v.begin(), v.end(), [](const MinuteRange& a, const MinuteRange& b) {
    return a.startMin != b.startMin ? a.startMin < b.startMin : a.endMin < b.endMin;
  });
  size_t w = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (w > 0 && v[i].startMin <= v[w - 1].endMin) {
      v[w - 1].endMin = std::max(v[w - 1].endMin, v[i].endMin);
    } else {
      v[w++] = v[i];
    }
  }
  v.resize(w);
}

// Removes the (merged, sorted) `cuts` from the (merged, sorted) `periods`.
std::vector<MinuteRange> subtract(const std::vector<MinuteRange>& periods,
                                  const std::vector<MinuteRange>& cuts) {
  std::vector<MinuteRange> out;
  for (const MinuteRange& p : periods) {
    int cursor = p.startMin;
    for (const MinuteRange& c : cuts) {
      if (c.endMin <= cursor || c.startMin >= p.endMin) continue;
      if (c.startMin > cursor) out.push_back(MinuteRange{cursor, c.startMin});
      cursor = std::max(cursor, c.endMin);
    }
    if (cursor < p.endMin) out.push_back(MinuteRange{cursor, p.endMin});
  }
  return out;
}

// Computes the slots of local days, before the booking window and bookings are applied.
class DaySlots {
 public:
  explicit DaySlots(const WorkingPlan& plan) : plan_(plan), holidays_(holidaySpec(plan)) {}

  // The effective periods of local day `d` (exception, holiday, weekly periods minus breaks).
  std::vector<MinuteRange> effectivePeriods(LocalDays d) const {
    const date::year_month_day ymd{d};
    std::vector<MinuteRange> periods;
    bool exception = false;
    for (const PlanException& e : plan_.exceptions) {
      if (e.day != ymd) continue;
      exception = true;
      if (!e.closed) periods.insert(periods.end(), e.periods.begin(), e.periods.end());
    }
    if (exception) {  // the exception's periods replace the weekly periods and breaks
      mergeRanges(periods);
      return periods;
    }
    if (!directory::holidayName(holidays_, ymd).empty()) return {};
    const int iso = int(date::weekday{d}.iso_encoding());
    std::vector<MinuteRange> breaks;
    for (const WeeklyPeriod& p : plan_.periods) {
      if (p.weekday == iso) periods.push_back(p.range);
    }
    for (const WeeklyPeriod& b : plan_.breaks) {
      if (b.weekday == iso) breaks.push_back(b.range);
    }
    mergeRanges(periods);
    mergeRanges(breaks);
    return subtract(periods, breaks);
  }

  // Appends the slots of local day `d`, in order, with free = capacity.
  void append(LocalDays d, std::vector<Slot>& out) const {
    const date::year_month_day ymd{d};
    const LocalSeconds midnight{d};
    const int len = plan_.slotMinutes;
    for (const MinuteRange& p : effectivePeriods(d)) {
      for (int t = p.startMin; t + len <= p.endMin; t += len) {
        const LocalSeconds localStart = midnight + std::chrono::minutes{t};
        // A wall time skipped by the DST change has no slot.
        if (plan_.tz->get_info(localStart).result == date::local_info::nonexistent) continue;
        // Repeated wall times take their first occurrence; a non-existent end maps to the
        // transition instant. Both ends use the same rule, so slots tile.
        const Seconds startUtc = plan_.tz->to_sys(localStart, date::choose::earliest);
        const Seconds endUtc =
            plan_.tz->to_sys(localStart + std::chrono::minutes{len}, date::choose::earliest);
        // A slot cut short by the skipped hour (its end falls in the gap) is not offered.
        if (endUtc - startUtc < std::chrono::minutes{len}) continue;
        out.push_back(
            Slot{ymd, directory::formatHm(t), t, startUtc, endUtc, plan_.capacity, plan_.capacity});
      }
    }
  }

 private:
  const WorkingPlan& plan_;
  directory::ScheduleSpec holidays_;
};

int freePlaces(const WorkingPlan& plan, Seconds startUtc, const BookedCounts& booked) {
  const auto it = booked.find(startUtc);
  const int taken = it == booked.end() ? 0 : it->second;
  return std::max(0, plan.capacity - std::max(0, taken));
}

Seconds windowStart(const WorkingPlan& plan, Seconds now) {
  return now + plan.minNotice;
}
Seconds windowEnd(const WorkingPlan& plan, Seconds now) {
  return now + date::days{plan.maxDaysAhead};
}

Error tzFailure() {
  return makeError(Errc::kInternal, "errore del database dei fusi orari");
}

}  // namespace

Status validatePlan(const WorkingPlan& plan) {
  if (plan.tz == nullptr) return invalid("fuso orario mancante", "tz");
  if (plan.slotMinutes < kMinSlotMinutes || plan.slotMinutes > kMaxSlotMinutes) {
    return invalid("durata dello slot non valida: da 5 a 480 minuti", "slotMinutes");
  }
  if (plan.capacity < 1 || plan.capacity > kMaxCapacity) {
    return invalid("capienza non valida: da 1 a 100 posti per slot", "capacity");
  }
  SP_TRY(validateWeekly(plan.periods, "periods"));
  SP_TRY(validateWeekly(plan.breaks, "breaks"));
  for (size_t i = 0; i < plan.exceptions.size(); ++i) {
    const PlanException& e = plan.exceptions[i];
    const std::string prefix = indexed("exceptions", i);
    if (!e.day.ok()) return invalid("data non valida", prefix + ".day");
    if (e.closed) continue;
    if (e.periods.empty()) {
      return invalid("indicare almeno un orario oppure segnare il giorno come chiuso",
                     prefix + ".periods");
    }
    for (size_t j = 0; j < e.periods.size(); ++j) {
      SP_TRY(validateRange(e.periods[j], prefix + "." + indexed("periods", j)));
    }
  }
  for (size_t i = 0; i < plan.extraHolidays.size(); ++i) {
    if (!plan.extraHolidays[i].day.ok()) {
      return invalid("data non valida", indexed("extraHolidays", i) + ".day");
    }
  }
  if (plan.patronDay && !plan.patronDay->ok()) return invalid("data non valida", "patronDay");
  if (plan.maxDaysAhead < 1 || plan.maxDaysAhead > kMaxDaysAhead) {
    return invalid("finestra di prenotazione non valida: da 1 a 366 giorni", "maxDaysAhead");
  }
  if (plan.minNotice.count() < 0) {
    return invalid("preavviso minimo non valido: non può essere negativo", "minNotice");
  }
  if (plan.minNotice >= date::days{plan.maxDaysAhead}) {
    return invalid("il preavviso minimo deve essere inferiore alla finestra di prenotazione",
                   "minNotice");
  }
  return okStatus();
}

bool inWindow(const WorkingPlan& plan, Seconds startUtc, Seconds now) {
  return startUtc >= windowStart(plan, now) && startUtc <= windowEnd(plan, now);
}

Result<std::vector<Slot>> slotsBetween(const WorkingPlan& plan, date::year_month_day fromDay,
                                       date::year_month_day toDay, Seconds now,
                                       const BookedCounts& booked) {
  SP_TRY(validatePlan(plan));
  if (!fromDay.ok()) return invalid("data non valida", "fromDay");
  if (!toDay.ok()) return invalid("data non valida", "toDay");
  const LocalDays from{fromDay};
  const LocalDays to{toDay};
  if (to < from) return invalid("l'intervallo di date è vuoto", "toDay");
  if (to - from >= date::days{kMaxQueryDays}) {
    return invalid("intervallo di date troppo lungo (massimo 366 giorni)", "toDay");
  }
  std::vector<Slot> out;
  try {
    const Seconds lo = windowStart(plan, now);
    const Seconds hi = windowEnd(plan, now);
    // Only the local days that the window touches can hold a slot.
    const LocalDays first = std::max(from, date::floor<date::days>(plan.tz->to_local(lo)));
    const LocalDays last = std::min(to, date::floor<date::days>(plan.tz->to_local(hi)));
    const DaySlots days(plan);
    for (LocalDays d = first; d <= last; d += date::days{1}) {
      const size_t begin = out.size();
      days.append(d, out);
      auto outside = [&](const Slot& s) { return s.startUtc < lo || s.startUtc > hi; };
      out.erase(std::remove_if(out.begin() + std::ptrdiff_t(begin), out.end(), outside), out.end());
    }
  } catch (const std::exception&) {
    return tzFailure();
  }
  for (Slot& s : out) s.free = freePlaces(plan, s.startUtc, booked);
  return out;
}

Result<std::vector<DayAvailability>> monthAvailability(const WorkingPlan& plan, int year,
                                                       unsigned month, Seconds now,
                                                       const BookedCounts& booked) {
  if (month < 1 || month > 12) return invalid("mese non valido (1 … 12)", "month");
  const date::year y{year};
  if (!y.ok()) return invalid("anno non valido", "year");
  const date::year_month_day firstDay = y / date::month{month} / 1;
  const date::year_month_day lastDay{y / date::month{month} / date::last};
  SP_ASSIGN(std::vector<Slot> slots, slotsBetween(plan, firstDay, lastDay, now, booked));
  std::vector<DayAvailability> out;
  for (LocalDays d{firstDay}; d <= LocalDays{lastDay}; d += date::days{1}) {
    out.push_back(DayAvailability{date::year_month_day{d}, 0, 0, 0});
  }
  for (const Slot& s : slots) {
    DayAvailability& day = out[unsigned(s.day.day()) - 1];
    ++day.slots;
    day.places += s.capacity;
    day.free += s.free;
  }
  return out;
}

Result<Slot> findSlot(const WorkingPlan& plan, date::year_month_day day, std::string_view start) {
  SP_TRY(validatePlan(plan));
  if (!day.ok()) return invalid("data non valida", "day");
  const Result<int> minutes = directory::parseHm(start);
  if (!minutes.ok()) return invalid(minutes.error().message, "start");
  std::vector<Slot> slots;
  try {
    DaySlots(plan).append(LocalDays{day}, slots);
  } catch (const std::exception&) {
    return tzFailure();
  }
  for (Slot& s : slots) {
    if (s.startMin == minutes.value()) return std::move(s);
  }
  return makeError(Errc::kNotFound, "nessun appuntamento disponibile in questo orario", "start");
}

Result<Slot> checkRequestedSlot(const WorkingPlan& plan, date::year_month_day day,
                                std::string_view start, Seconds now, const BookedCounts& booked) {
  SP_ASSIGN(Slot slot, findSlot(plan, day, start));
  if (slot.startUtc < windowStart(plan, now)) {
    return invalid("troppo tardi per prenotare questo orario: serve più preavviso", "start");
  }
  if (slot.startUtc > windowEnd(plan, now)) {
    return invalid("orario troppo lontano: non ancora prenotabile", "start");
  }
  slot.free = freePlaces(plan, slot.startUtc, booked);
  if (slot.free == 0) {
    return makeError(Errc::kConflict, "orario esaurito: scegliere un altro orario", "start");
  }
  return slot;
}

}  // namespace sportello::booking
