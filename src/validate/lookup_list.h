// Private to validate/ (the validator's lookup checks: roles, nodes, applications, clients).
#pragma once
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "validate/text_scan.h"

namespace canopy::detail {

// One lookup set as the validator reads it. An environment has a handful of roles, nodes and clients:
// a linear compare of views beats building a key string and hashing it; large sets go through the
// hash set. UUIDs are stored in lower case: a cell with capitals is compared again lower-cased
// (client_ids only as given).
class LookupList {
 public:
  void reset(const std::unordered_set<std::string>& set, bool fold_case) {
    set_ = &set;
    fold_case_ = fold_case;
    views_.clear();
    if (set.size() <= kLinear) views_.assign(set.begin(), set.end());
  }
  bool contains(std::string_view v, std::string& scratch) const {
    // Cells are usually in lower case already: compare as given first, fold only when that fails.
    if (set_->size() <= kLinear && linear_contains(v)) return true;
    const bool fold = fold_case_ && std::any_of(v.begin(), v.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (set_->size() <= kLinear && !fold) return false;
    scratch.assign(v.data(), v.size());
    if (fold) {
      for (char& c : scratch) c = detail::ascii_lower(c);
    }
    return set_->size() <= kLinear ? linear_contains(scratch) : set_->find(scratch) != set_->end();
  }

 private:
  bool linear_contains(std::string_view v) const {
    for (std::string_view id : views_) {
      if (detail::same_bytes(id, v)) return true;
    }
    return false;
  }

  static constexpr size_t kLinear = 16;
  const std::unordered_set<std::string>* set_ = nullptr;
  bool fold_case_ = true;
  std::vector<std::string_view> views_;
};

}  // namespace canopy::detail
