// Row mapping written once: a store lists, for one struct, each selected SQL expression next to
// the member it fills, and gets both the SELECT column list and the reader from that one list,
// so the order of the SELECT and the order of the reads cannot drift apart.
//
//   const sql::Columns<Office> kOffice{
//       sql::col<&Office::id>("id"),
//       sql::col<&Office::siteId>("site_id"),  // std::optional<std::string>: NULL → nullopt
//       {"channels", [](Office& o, sql::RowReader& r) { o.channels = fromJson(r.str()); }},
//   };
//   c.query("SELECT " + kOffice.list() + " FROM offices WHERE id = ?", {id});
//   Office o = kOffice.read(row);
//
// Members of type std::string, std::optional<std::string>, int64_t, std::optional<int64_t>,
// int, bool (0/1) and double are read by col<&T::member>; anything else (enums, JSON) takes a
// plain function. Reading follows Row's rules (null → "" or 0). Immutable after construction,
// so one namespace-scope Columns may be shared by every thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "platform/sql/sql.h"

namespace sportello::sql {

// Reads a row's columns in order: each call takes the next column. A reader never goes past
// the row: reading beyond the last column throws std::out_of_range (Row::cols.at), which is a
// programming error in the store, caught by its tests.
class RowReader {
 public:
  explicit RowReader(const Row& row, size_t first = 0) : row_(row), at_(first) {}

  std::string str() { return row_.str(at_++); }
  std::optional<std::string> optStr() { return row_.optStr(at_++); }
  int64_t i64() { return row_.i64(at_++); }
  std::optional<int64_t> optI64() { return row_.optI64(at_++); }
  double f64() { return row_.f64(at_++); }
  bool flag() { return row_.i64(at_++) != 0; }
  // Whether the next column is NULL, without taking it.
  bool nextIsNull() const { return row_.isNull(at_); }
  // Index of the next column to be read.
  size_t position() const { return at_; }

 private:
  const Row& row_;
  size_t at_;
};

// One selected expression and how its value lands in a T.
template <class T>
struct Column {
  std::string_view sql;  // e.g. "k.id", "op.display_name", "(SELECT … )"
  void (*read)(T&, RowReader&);
};

namespace detail {

template <class M>
struct MemberOf;
template <class T, class V>
struct MemberOf<V T::*> {
  using Struct = T;
  using Value = V;
};

template <auto Member>
void readMember(typename MemberOf<decltype(Member)>::Struct& out, RowReader& r) {
  using V = typename MemberOf<decltype(Member)>::Value;
  if constexpr (std::is_same_v<V, std::string>) {
    out.*Member = r.str();
  } else if constexpr (std::is_same_v<V, std::optional<std::string>>) {
    out.*Member = r.optStr();
  } else if constexpr (std::is_same_v<V, std::optional<int64_t>>) {
    out.*Member = r.optI64();
  } else if constexpr (std::is_same_v<V, bool>) {
    out.*Member = r.flag();
  } else if constexpr (std::is_same_v<V, double>) {
    out.*Member = r.f64();
  } else if constexpr (std::is_integral_v<V>) {
    out.*Member = static_cast<V>(r.i64());
  } else {
    static_assert(std::is_same_v<V, void>, "col<&T::m>: no reader for this member type");
  }
}

}  // namespace detail

// The column `sql` read straight into `Member` (see the header comment for the types).
template <auto Member>
constexpr Column<typename detail::MemberOf<decltype(Member)>::Struct> col(std::string_view sql) {
  return {sql, &detail::readMember<Member>};
}

// The ordered column list of one struct.
template <class T>
class Columns {
 public:
  Columns(std::initializer_list<Column<T>> cols) : cols_(cols) {
    for (const auto& c : cols_) {
      if (!list_.empty()) list_ += ", ";
      list_ += c.sql;
    }
  }

  // "a, b, c": the expressions in order, for a SELECT.
  const std::string& list() const { return list_; }
  // "SELECT a, b, c " + rest (rest usually "FROM … JOIN … ").
  std::string select(std::string_view rest) const {
    std::string s = "SELECT " + list_ + " ";
    s += rest;
    return s;
  }
  size_t size() const { return cols_.size(); }

  // Reads size() columns from the reader's position into `out` (other members untouched).
  void read(RowReader& r, T& out) const {
    for (const auto& c : cols_) c.read(out, r);
  }
  // A T from the row's columns [first, first + size()).
  T read(const Row& row, size_t first = 0) const {
    T out{};
    RowReader r(row, first);
    read(r, out);
    return out;
  }

 private:
  std::vector<Column<T>> cols_;
  std::string list_;
};

}  // namespace sportello::sql
