#include "workbook/zip.h"

#include <zlib.h>

#include <algorithm>
#include <memory>

#include "core/messages.h"

namespace canopy::workbook {
namespace {

constexpr uint32_t kEocdSig = 0x06054b50, kZip64EocdSig = 0x06064b50, kZip64LocSig = 0x07064b50;
constexpr uint32_t kCentralSig = 0x02014b50, kLocalSig = 0x04034b50;
constexpr size_t kEocdSize = 22, kMaxComment = 65535;
constexpr size_t kBlock = 64 << 10;

uint16_t u16(const unsigned char* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t u32(const unsigned char* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) | (static_cast<uint32_t>(p[2]) << 16) |
         (static_cast<uint32_t>(p[3]) << 24);
}
uint64_t u64(const unsigned char* p) { return u32(p) | (static_cast<uint64_t>(u32(p + 4)) << 32); }

// workbook_damaged and workbook_too_big around one of their details (a code with its arguments).
Error damaged(std::initializer_list<std::string_view> detail) { return make_error("workbook_damaged", detail); }
Error too_big(std::initializer_list<std::string_view> detail) { return make_error("workbook_too_big", detail); }
std::string figure(uint64_t v) { return std::to_string(v); }

}  // namespace

const char* bad_entry_name(std::string_view name) {
  if (name.empty()) return "workbook_entry_no_name";
  if (name.find('\0') != std::string_view::npos) return "workbook_entry_name_nul";
  if (name.find('\\') != std::string_view::npos) return "workbook_entry_name_backslash";
  if (name.front() == '/') return "workbook_entry_name_absolute";
  if (name.size() >= 2 && name[1] == ':') return "workbook_entry_name_drive";
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(start, end - start) == "..") return "workbook_entry_name_climbs";
    start = end + 1;
  }
  return "";
}

Result<ZipArchive> ZipArchive::open(ByteSource& source, const ZipLimits& limits) {
  ZipArchive zip;
  zip.source_ = &source;
  const uint64_t size = source.size();
  if (size < kEocdSize) return damaged({"workbook_zip_too_short"});
  // The end-of-central-directory record: within the last 22 + 65535 bytes, found from the end.
  const size_t tail_size = static_cast<size_t>(std::min<uint64_t>(size, kEocdSize + kMaxComment));
  std::string tail(tail_size, '\0');
  if (!source.read(size - tail_size, tail_size, tail.data())) return damaged({"workbook_unreadable"});
  const auto* t = reinterpret_cast<const unsigned char*>(tail.data());
  size_t at = std::string::npos;
  for (size_t i = tail_size - kEocdSize + 1; i-- > 0;) {
    if (u32(t + i) == kEocdSig && i + kEocdSize + u16(t + i + 20) <= tail_size) {
      at = i;
      break;
    }
  }
  if (at == std::string::npos) return damaged({"workbook_zip_no_end"});
  const unsigned char* e = t + at;
  if (u16(e + 4) != 0 || u16(e + 6) != 0) return damaged({"workbook_zip_split"});
  uint64_t count = u16(e + 10), cd_size = u32(e + 12), cd_offset = u32(e + 16);
  const uint64_t eocd_pos = size - tail_size + at;
  if (count == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF) {
    // ZIP64: the locator sits right before the record and points at the 64-bit record.
    unsigned char loc[20];
    if (eocd_pos < 20 || !source.read(eocd_pos - 20, 20, reinterpret_cast<char*>(loc)) || u32(loc) != kZip64LocSig)
      return damaged({"workbook_zip64_missing"});
    const uint64_t rec_pos = u64(loc + 8);
    unsigned char rec[56];
    if (!source.read(rec_pos, 56, reinterpret_cast<char*>(rec)) || u32(rec) != kZip64EocdSig)
      return damaged({"workbook_zip64_missing"});
    count = u64(rec + 32);
    cd_size = u64(rec + 40);
    cd_offset = u64(rec + 48);
  }
  if (count > limits.max_entries) {
    return too_big({"workbook_zip_entries", figure(count), figure(limits.max_entries)});
  }
  if (cd_offset > size || cd_size > size - cd_offset) return damaged({"workbook_cd_outside"});
  // Each entry takes at least 46 bytes, so this bounds the allocation by the entry count.
  if (cd_size > count * (46 + 3 * 65535ull)) return damaged({"workbook_cd_too_large"});
  std::string cd(static_cast<size_t>(cd_size), '\0');
  if (!source.read(cd_offset, cd.size(), cd.data())) return damaged({"workbook_cd_unreadable"});
  const auto* p = reinterpret_cast<const unsigned char*>(cd.data());
  const unsigned char* end = p + cd.size();
  uint64_t total = 0;
  zip.entries_.reserve(static_cast<size_t>(count));
  for (uint64_t i = 0; i < count; ++i) {
    if (end - p < 46 || u32(p) != kCentralSig) return damaged({"workbook_cd_cut_short"});
    ZipEntry en;
    const uint16_t flags = u16(p + 8);
    en.method = u16(p + 10);
    en.crc = u32(p + 16);
    en.compressed = u32(p + 20);
    en.size = u32(p + 24);
    const size_t name_len = u16(p + 28), extra_len = u16(p + 30), comment_len = u16(p + 32);
    en.local_offset = u32(p + 42);
    if (static_cast<size_t>(end - p) < 46 + name_len + extra_len + comment_len)
      return damaged({"workbook_cd_cut_short"});
    en.name.assign(reinterpret_cast<const char*>(p + 46), name_len);
    // ZIP64 extra field: the 64-bit values of the fields that say 0xFFFFFFFF, in this order.
    const unsigned char* x = p + 46 + name_len;
    const unsigned char* xend = x + extra_len;
    while (xend - x >= 4) {
      const uint16_t id = u16(x), len = u16(x + 2);
      if (xend - x - 4 < len) break;
      if (id == 0x0001) {
        const unsigned char* v = x + 4;
        const unsigned char* vend = v + len;
        if (en.size == 0xFFFFFFFF && vend - v >= 8) en.size = u64(v), v += 8;
        if (en.compressed == 0xFFFFFFFF && vend - v >= 8) en.compressed = u64(v), v += 8;
        if (en.local_offset == 0xFFFFFFFF && vend - v >= 8) en.local_offset = u64(v);  // the last field read
      }
      x += 4 + len;
    }
    p += 46 + name_len + extra_len + comment_len;
    if (const char* why = bad_entry_name(en.name); *why) return damaged({why});
    en.encrypted = (flags & 1) != 0;
    if (en.name.back() == '/') continue;  // a folder
    if (en.size > limits.max_entry_bytes) {
      return too_big({"workbook_entry_too_big", en.name, figure(en.size), figure(limits.max_entry_bytes)});
    }
    total += en.size;
    if (total > limits.max_total_bytes) {
      return too_big({"workbook_entries_too_big", figure(limits.max_total_bytes)});
    }
    if (en.size > limits.ratio_floor && en.size / std::max<uint64_t>(en.compressed, 1) > limits.max_ratio) {
      return too_big({"workbook_entry_ratio", en.name, figure(en.size / std::max<uint64_t>(en.compressed, 1)),
                      figure(limits.max_ratio)});
    }
    if (en.local_offset > size || en.compressed > size - std::min(size, en.local_offset)) {
      return damaged({"workbook_entry_outside", en.name});
    }
    zip.entries_.push_back(std::move(en));
  }
  return zip;
}

const ZipEntry* ZipArchive::find(std::string_view name) const {
  for (const ZipEntry& e : entries_) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

Error ZipArchive::read(const ZipEntry& entry, const ZipSink& sink) const {
  if (entry.encrypted) return make_error("workbook_encrypted");
  if (entry.method != 0 && entry.method != 8) {
    return damaged({"workbook_entry_method", entry.name, figure(entry.method)});
  }
  unsigned char local[30];
  if (!source_->read(entry.local_offset, 30, reinterpret_cast<char*>(local)) || u32(local) != kLocalSig) {
    return damaged({"workbook_entry_no_header", entry.name});
  }
  const uint64_t data = entry.local_offset + 30 + u16(local + 26) + u16(local + 28);
  const uint64_t size = source_->size();
  if (data > size || entry.compressed > size - data) return damaged({"workbook_entry_truncated", entry.name});

  std::unique_ptr<char[]> in(new char[kBlock]);
  uint64_t left = entry.compressed, produced = 0;
  uint32_t crc = static_cast<uint32_t>(crc32(0, nullptr, 0));
  auto deliver = [&](const char* d, size_t n) -> Error {
    produced += n;
    if (produced > entry.size) return damaged({"workbook_entry_longer", entry.name});
    crc = static_cast<uint32_t>(crc32(crc, reinterpret_cast<const Bytef*>(d), static_cast<uInt>(n)));
    return n ? sink(d, n) : Error{};
  };
  uint64_t pos = data;
  if (entry.method == 0) {
    if (entry.compressed != entry.size) return damaged({"workbook_entry_sizes_differ", entry.name});
    while (left) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(left, kBlock));
      if (!source_->read(pos, n, in.get())) return damaged({"workbook_entry_unreadable", entry.name});
      pos += n;
      left -= n;
      if (Error e = deliver(in.get(), n)) return e;
    }
  } else {
    std::unique_ptr<char[]> out(new char[kBlock]);
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return make_error("out_of_memory", {"memory_unzip"});
    struct Closer {
      z_stream* z;
      ~Closer() { inflateEnd(z); }
    } closer{&z};
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
      if (z.avail_in == 0) {
        if (left == 0) return damaged({"workbook_entry_data_short", entry.name});
        const size_t n = static_cast<size_t>(std::min<uint64_t>(left, kBlock));
        if (!source_->read(pos, n, in.get())) return damaged({"workbook_entry_unreadable", entry.name});
        pos += n;
        left -= n;
        z.next_in = reinterpret_cast<Bytef*>(in.get());
        z.avail_in = static_cast<uInt>(n);
      }
      z.next_out = reinterpret_cast<Bytef*>(out.get());
      z.avail_out = static_cast<uInt>(kBlock);
      rc = inflate(&z, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
        return z.msg ? damaged({"workbook_entry_inflate", entry.name, z.msg})
                     : damaged({"workbook_entry_inflate_damaged", entry.name});
      }
      if (Error e = deliver(out.get(), kBlock - z.avail_out)) return e;
      if (rc == Z_BUF_ERROR && z.avail_in == 0 && left == 0) {
        return damaged({"workbook_entry_data_short", entry.name});
      }
    }
  }
  if (produced != entry.size) return damaged({"workbook_entry_shorter", entry.name});
  if (crc != entry.crc) return damaged({"workbook_entry_crc", entry.name});
  return {};
}

Result<std::string> ZipArchive::read_all(const ZipEntry& entry, uint64_t max_bytes) const {
  if (entry.size > max_bytes) {
    return too_big({"workbook_part_too_big", entry.name, figure(entry.size), figure(max_bytes)});
  }
  std::string out;
  out.reserve(static_cast<size_t>(entry.size));
  Error e = read(entry, [&out](const char* d, size_t n) {
    out.append(d, n);
    return Error{};
  });
  if (e) return e;
  return out;
}

}  // namespace canopy::workbook
