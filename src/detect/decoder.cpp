#include "detect/decoder.h"

#include <algorithm>

#include "core/messages.h"
#include "detect/decoder_families.h"

namespace canopy {

StreamDecoder::StreamDecoder(EncodingId id, bool fatal, bool skip_bom) : info_(&encoding_info(id)), fatal_(fatal) {
  if (skip_bom) {
    if (id == EncodingId::utf8) bom_ = "\xEF\xBB\xBF";
    if (id == EncodingId::utf16le) bom_ = "\xFF\xFE";
    if (id == EncodingId::utf16be) bom_ = "\xFE\xFF";
  }
  if (!info_->single_byte()) return;
  for (size_t i = 0; i < 128; ++i) {
    const uint32_t cp = info_->table[i];
    uint32_t e;
    if (cp == 0) e = 0xEFu | 0xBFu << 8 | 0xBDu << 16 | 3u << 24 | 1u << 31;
    else if (cp < 0x800) e = (0xC0 | cp >> 6) | (0x80 | (cp & 0x3F)) << 8 | 2u << 24;
    else e = (0xE0 | cp >> 12) | (0x80 | ((cp >> 6) & 0x3F)) << 8 | (0x80 | (cp & 0x3F)) << 16 | 3u << 24;
    single_byte_utf8_[i] = e;
  }
}

namespace {

// Grows `out` by n bytes without writing them where the library allows (libc++, the wasm build).
void grow(std::string& out, size_t size) {
#if defined(_LIBCPP_VERSION)
  out.__resize_default_init(size);
#else
  out.resize(size);
#endif
}

// Input bytes a multi-byte decoder takes per step, so the room it needs (3 output bytes an input byte
// at worst) stays small however big the piece.
constexpr size_t kBlock = 64 << 10;

}  // namespace

std::string_view StreamDecoder::missing_table() const {
  return table_file_installed(info_->table_file) ? std::string_view() : info_->table_file;
}

bool StreamDecoder::feed(const char* p, size_t n, bool last, std::string& out) {
  if (failed_) return false;
  if (!missing_table().empty()) {
    failed_ = true;
    return false;
  }
  // A BOM to drop: its bytes may come in several pieces; bytes that turn out to be no BOM are text.
  while (!bom_.empty() && (n > 0 || last)) {
    if (n > 0 && static_cast<char>(*p) == bom_[bom_seen_.size()]) {
      bom_seen_.push_back(*p++);
      --n;
      if (bom_seen_.size() < bom_.size()) continue;
      bom_dropped_ = true;
      consumed_ += bom_seen_.size();
      bom_seen_.clear();
      bom_ = {};
      break;
    }
    bom_ = {};
    if (!bom_seen_.empty()) {
      const std::string seen = std::move(bom_seen_);
      bom_seen_.clear();
      if (!decode(reinterpret_cast<const uint8_t*>(seen.data()), seen.size(), last && n == 0, out)) return false;
    }
  }
  if (!bom_.empty()) return true;  // all of it may still be a BOM
  return decode(reinterpret_cast<const uint8_t*>(p), n, last, out);
}

bool StreamDecoder::decode(const uint8_t* u, size_t n, bool last, std::string& out) {
  size_t used = out.size();
  bool ok = true;
  if (info_->single_byte()) {
    // The exact size first (one vector pass; non-ASCII bytes are few), then one pass that writes.
    grow(out, used + single_byte_utf8_bytes(single_byte_utf8_, u, n) + 32);
    Core c{*info_,  encoding_tables(), fatal_,           state_, consumed_, seq_start_,
           window_, out.data() + used, single_byte_utf8_};
    ok = decode_single_byte(c, u, n, last);
    out.resize(static_cast<size_t>(c.w - out.data()));
    if (!ok) error_at_ = c.error_at;
  } else {
    // Room for the usual text up front (one allocation instead of a copy each time it doubles): UTF-16
    // of mostly ASCII halves, UTF-8 stays, two-byte CJK codes grow by half.
    const bool utf16 = info_->decoder == DecoderKind::utf16le || info_->decoder == DecoderKind::utf16be;
    const size_t expect = utf16 ? n / 2 + n / 8 : info_->decoder == DecoderKind::utf8 ? n : n + n / 2;
    if (out.capacity() < used + expect + 64) out.reserve(used + expect + 64);
    size_t done = 0;
    do {
      const size_t len = std::min(n - done, kBlock);
      const bool block_last = last && done + len == n;
      grow(out, used + Core::max_utf8_bytes(len));
      Core c{*info_,  encoding_tables(), fatal_, state_, consumed_ + done, seq_start_,
             window_, out.data() + used, nullptr};
      switch (info_->decoder) {
        case DecoderKind::utf8: ok = decode_utf8(c, u + done, len, block_last); break;
        case DecoderKind::utf16le: ok = decode_utf16(c, u + done, len, block_last, false); break;
        case DecoderKind::utf16be: ok = decode_utf16(c, u + done, len, block_last, true); break;
        case DecoderKind::shift_jis: ok = decode_shift_jis(c, u + done, len, block_last); break;
        case DecoderKind::euc_jp: ok = decode_euc_jp(c, u + done, len, block_last); break;
        case DecoderKind::iso_2022_jp: ok = decode_iso_2022_jp(c, u + done, len, block_last); break;
        case DecoderKind::gb18030: ok = decode_gb18030(c, u + done, len, block_last); break;
        case DecoderKind::big5: ok = decode_big5(c, u + done, len, block_last); break;
        case DecoderKind::euc_kr: ok = decode_euc_kr(c, u + done, len, block_last); break;
        case DecoderKind::single_byte: break;
      }
      used = static_cast<size_t>(c.w - out.data());
      out.resize(used);
      done += len;
      if (!ok) error_at_ = c.error_at;
    } while (ok && done < n);
  }
  consumed_ += n;
  if (!ok) failed_ = true;
  return ok;
}

Result<std::string> decode_bytes(EncodingId id, std::string_view bytes, bool fatal) {
  StreamDecoder d(id, fatal);
  if (auto t = d.missing_table(); !t.empty()) return make_error("tables_needed", {t});
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  if (!d.feed(bytes.data(), bytes.size(), true, out)) {
    return undecodable_error(id, d.error_offset(), line_at(id, bytes, d.error_offset()));
  }
  return out;
}

size_t line_at(EncodingId id, std::string_view bytes, size_t offset) {
  offset = std::min(offset, bytes.size());
  const auto* u = reinterpret_cast<const uint8_t*>(bytes.data());
  const bool le = id == EncodingId::utf16le, be = id == EncodingId::utf16be;
  const size_t step = le || be ? 2 : 1;
  auto unit = [&](size_t i) -> uint32_t {
    if (le) return i + 1 < bytes.size() ? (u[i] | u[i + 1] << 8) : 0xFFFF;
    if (be) return i + 1 < bytes.size() ? (u[i] << 8 | u[i + 1]) : 0xFFFF;
    return u[i];
  };
  size_t line = 1;
  for (size_t i = 0; i + step <= offset; i += step) {
    const uint32_t c = unit(i);
    if (c == '\n' || (c == '\r' && (i + step >= bytes.size() || unit(i + step) != '\n'))) ++line;
  }
  return line;
}

Error undecodable_error(EncodingId id, size_t offset, size_t line) {
  return make_error("undecodable", {encoding_info(id).name, std::to_string(offset), std::to_string(line)});
}

}  // namespace canopy
