// Random access to the bytes of a workbook file: the ZIP reader reads the central directory at the end
// and each entry where it lies, so a file need not be held in memory (the CLI reads a file with pread;
// the page and the tests hand the bytes they have). No I/O here: a file source lives in src/cli/.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace canopy::workbook {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  // Copies [offset, offset + n) into out; false when the range is not there (or cannot be read).
  virtual bool read(uint64_t offset, size_t n, char* out) = 0;
};

// Bytes the caller keeps alive (a view) or hands over (owned).
class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : view_(bytes) {}
  explicit MemorySource(std::string&& bytes) : owned_(std::move(bytes)), view_(owned_) {}
  uint64_t size() const override { return view_.size(); }
  bool read(uint64_t offset, size_t n, char* out) override {
    if (offset > view_.size() || n > view_.size() - offset) return false;
    if (n) std::memcpy(out, view_.data() + offset, n);
    return true;
  }

 private:
  std::string owned_;
  std::string_view view_;
};

}  // namespace canopy::workbook
