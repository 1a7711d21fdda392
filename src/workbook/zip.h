// The ZIP container of a workbook: its central directory read once, with limits, and an entry inflated
// piece by piece into a sink (zlib), so a sheet is never held whole. Hostile archives are refused with
// an Error before anything big is allocated: too many entries, an entry or a total that unpacks to more
// than the limits, a compression ratio no spreadsheet has (a zip bomb), entry names that climb out of
// the archive (../, absolute, drive letters, backslashes), encrypted entries, unknown methods, and a
// truncated or inconsistent archive. The declared sizes are never trusted: inflating past them fails.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "workbook/source.h"

namespace canopy::workbook {

struct ZipLimits {
  uint32_t max_entries = 10000;
  uint64_t max_entry_bytes = 256ull << 20;  // uncompressed, one entry
  uint64_t max_total_bytes = 512ull << 20;  // uncompressed, the whole archive
  uint32_t max_ratio = 200;                 // uncompressed / compressed, once an entry is over ratio_floor
  uint64_t ratio_floor = 1ull << 20;
};

struct ZipEntry {
  std::string name;
  uint64_t compressed = 0, size = 0;  // as the central directory says (checked while inflating)
  uint64_t local_offset = 0;
  uint32_t crc = 0;
  uint16_t method = 0;  // 0 stored, 8 deflate
  bool encrypted = false;
};

// An entry's bytes arrive in pieces; a non-empty Error returned by the sink stops the inflate.
using ZipSink = std::function<Error(const char* data, size_t size)>;

class ZipArchive {
 public:
  // Errors: workbook_damaged (not a readable ZIP), workbook_too_big (limits), workbook_encrypted.
  static Result<ZipArchive> open(ByteSource& source, const ZipLimits& limits = {});

  const std::vector<ZipEntry>& entries() const { return entries_; }
  const ZipEntry* find(std::string_view name) const;  // exact name (ZIP names are case-sensitive)
  // Inflates `entry` into `sink`, checking its size and CRC-32.
  Error read(const ZipEntry& entry, const ZipSink& sink) const;
  // The whole entry as a string (for the small parts: content types, relationships, mimetype).
  Result<std::string> read_all(const ZipEntry& entry, uint64_t max_bytes) const;

 private:
  ByteSource* source_ = nullptr;
  std::vector<ZipEntry> entries_;
};

// Why an entry name is refused, as a catalogue code (workbook_entry_name_climbs, ...; "" when it is
// fine): the names a workbook has never climb out.
const char* bad_entry_name(std::string_view name);

}  // namespace canopy::workbook
