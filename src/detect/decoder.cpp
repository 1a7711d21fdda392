#include "detect/decoder.h"

#include "core/messages.h"
#include "detect/decoder_families.h"

namespace canopy {

StreamDecoder::StreamDecoder(EncodingId id, bool fatal) : info_(&encoding_info(id)), fatal_(fatal) {}

std::string_view StreamDecoder::missing_table() const {
  return table_file_installed(info_->table_file) ? std::string_view() : info_->table_file;
}

bool StreamDecoder::feed(const char* p, size_t n, bool last, std::string& out) {
  if (failed_) return false;
  if (!missing_table().empty()) {
    failed_ = true;
    return false;
  }
  const size_t used = out.size();
  out.resize(used + Core::max_utf8_bytes(n));
  Core c{*info_, encoding_tables(), fatal_, state_, consumed_, seq_start_, window_, out.data() + used};
  const auto* u = reinterpret_cast<const uint8_t*>(p);
  bool ok = false;
  switch (info_->decoder) {
    case DecoderKind::utf8: ok = decode_utf8(c, u, n, last); break;
    case DecoderKind::utf16le: ok = decode_utf16(c, u, n, last, false); break;
    case DecoderKind::utf16be: ok = decode_utf16(c, u, n, last, true); break;
    case DecoderKind::single_byte: ok = decode_single_byte(c, u, n, last); break;
    case DecoderKind::shift_jis: ok = decode_shift_jis(c, u, n, last); break;
    case DecoderKind::euc_jp: ok = decode_euc_jp(c, u, n, last); break;
    case DecoderKind::iso_2022_jp: ok = decode_iso_2022_jp(c, u, n, last); break;
    case DecoderKind::gb18030: ok = decode_gb18030(c, u, n, last); break;
    case DecoderKind::big5: ok = decode_big5(c, u, n, last); break;
    case DecoderKind::euc_kr: ok = decode_euc_kr(c, u, n, last); break;
  }
  out.resize(static_cast<size_t>(c.w - out.data()));
  consumed_ += n;
  if (!ok) {
    failed_ = true;
    error_at_ = c.error_at;
  }
  return ok;
}

Result<std::string> decode_bytes(EncodingId id, std::string_view bytes, bool fatal) {
  StreamDecoder d(id, fatal);
  if (auto t = d.missing_table(); !t.empty()) return make_error("tables_needed", {t});
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  if (!d.feed(bytes.data(), bytes.size(), true, out)) {
    return make_error("undecodable", {encoding_info(id).name, std::to_string(d.error_offset())});
  }
  return out;
}

}  // namespace canopy
