// The wire/database names of an enum, written once as one constexpr table from which both
// directions come: name(e) and parse(s). Replaces the hand-kept switch + if-chain pairs that
// could drift apart.
//
//   constexpr auto kRoles = enumNames<Role>({{Role::kOperator, "operator"},
//                                            {Role::kAdmin, "admin"}});
//   static_assert(kRoles.distinct());
//   kRoles.name(Role::kAdmin)   → "admin"
//   kRoles.parse("admin")       → Role::kAdmin;  kRoles.parse("Admin") → nullopt (exact match)
//
// name() of a value missing from the table returns `fallback` (the table's first name unless
// given): the table should list every value, and distinct() checks no value or name is listed
// twice. Pure and constexpr; safe from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace sportello {

template <class E>
struct EnumEntry {
  E value;
  const char* name;
};

template <class E, size_t N>
struct EnumNames {
  static_assert(N > 0, "an enum table needs at least one entry");
  std::array<EnumEntry<E>, N> entries;
  const char* fallback;

  constexpr const char* name(E e) const {
    for (const auto& en : entries) {
      if (en.value == e) return en.name;
    }
    return fallback;
  }

  constexpr std::optional<E> parse(std::string_view s) const {
    for (const auto& en : entries) {
      if (s == en.name) return en.value;
    }
    return std::nullopt;
  }

  // True when no value and no name appears twice (use in a static_assert next to the table).
  constexpr bool distinct() const {
    for (size_t i = 0; i < N; ++i) {
      for (size_t j = i + 1; j < N; ++j) {
        if (entries[i].value == entries[j].value) return false;
        if (std::string_view(entries[i].name) == entries[j].name) return false;
      }
    }
    return true;
  }

  constexpr size_t size() const { return N; }
};

namespace detail {
template <class E, size_t N, size_t... I>
constexpr EnumNames<E, N> makeEnumNames(const EnumEntry<E> (&t)[N], const char* fallback,
                                        std::index_sequence<I...>) {
  return {{{t[I]...}}, fallback != nullptr ? fallback : t[0].name};
}
}  // namespace detail

// The table for E, in the order given; `fallback` (default: the first name) is what name()
// returns for a value the table does not list.
template <class E, size_t N>
constexpr EnumNames<E, N> enumNames(const EnumEntry<E> (&t)[N], const char* fallback = nullptr) {
  return detail::makeEnumNames<E, N>(t, fallback, std::make_index_sequence<N>{});
}

}  // namespace sportello
