// Private to validate/ (the validator's lower-cased keys).
#pragma once
#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

namespace canopy::detail {

// Stable storage for the few keys that are not views into the table (lower-cased emails).
class Arena {
 public:
  char* allocate(size_t n) {
    if (n > left_) {
      const size_t size = std::max<size_t>(n, 16 * 1024);
      blocks_.emplace_back(new char[size]);
      next_ = blocks_.back().get();
      left_ = size;
    }
    char* p = next_;
    next_ += n;
    left_ -= n;
    return p;
  }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  size_t left_ = 0;
};

}  // namespace canopy::detail
