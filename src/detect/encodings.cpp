#include "detect/encodings.h"

#include <string>

namespace canopy {
namespace {

// The single-byte indexes, generated from the standard's (tools/gen-encoding-tables.mjs).
#define CANOPY_SB(id, ...) constexpr uint16_t kSb_##id[128] = {__VA_ARGS__};
#include "single_byte_tables.inc"
#undef CANOPY_SB

using K = DecoderKind;
using I = EncodingId;

// The home languages several encodings share (EncodingInfo::home_languages).
constexpr std::string_view kWestern = "en de fr es ca pt it nl sv da no fi is ga sq et";
constexpr std::string_view kCentral = "pl cs sk sl hr hu ro sq de";
constexpr std::string_view kBaltic = "et lv lt pl fi sv da no";
constexpr std::string_view kCyrillic = "ru uk be bg sr mk";
constexpr std::string_view kRussian = "ru bg be";

// clang-format off
// Labels from the Encoding Standard's encodings.json, exactly; `extra`, the priors and the home
// languages are our own.
const std::vector<EncodingInfo> kEncodings = {
  {I::utf8, "UTF-8", "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8", "", K::utf8, nullptr, "", 8, ""},
  {I::utf16le, "UTF-16LE", "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le", "utf16 ucs2 unicodetext", K::utf16le, nullptr, "", 1, ""},
  {I::utf16be, "UTF-16BE", "unicodefffe utf-16be", "", K::utf16be, nullptr, "", 1, ""},
  {I::windows_1252, "windows-1252", "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252", "ansi winlatin1 ms1252 latin-1", K::single_byte, kSb_windows_1252, "", 6, kWestern},
  {I::windows_1250, "windows-1250", "cp1250 windows-1250 x-cp1250", "winlatin2 ms1250", K::single_byte, kSb_windows_1250, "", 4, kCentral},
  {I::windows_1251, "windows-1251", "cp1251 windows-1251 x-cp1251", "wincyrillic ms1251", K::single_byte, kSb_windows_1251, "", 4, kCyrillic},
  {I::windows_1253, "windows-1253", "cp1253 windows-1253 x-cp1253", "ms1253", K::single_byte, kSb_windows_1253, "", 3, "el"},
  {I::windows_1254, "windows-1254", "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254", "ms1254 latin-5", K::single_byte, kSb_windows_1254, "", 3, "tr"},
  {I::windows_1255, "windows-1255", "cp1255 windows-1255 x-cp1255", "ms1255", K::single_byte, kSb_windows_1255, "", 3, "he"},
  {I::windows_1256, "windows-1256", "cp1256 windows-1256 x-cp1256", "ms1256", K::single_byte, kSb_windows_1256, "", 3, "ar fa"},
  {I::windows_1257, "windows-1257", "cp1257 windows-1257 x-cp1257", "ms1257", K::single_byte, kSb_windows_1257, "", 3, kBaltic},
  {I::windows_1258, "windows-1258", "cp1258 windows-1258 x-cp1258", "ms1258", K::single_byte, kSb_windows_1258, "", 2, "vi"},
  {I::windows_874, "windows-874", "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874", "cp874", K::single_byte, kSb_windows_874, "", 3, "th"},
  {I::iso_8859_2, "ISO-8859-2", "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2", "latin-2", K::single_byte, kSb_iso_8859_2, "", 2, kCentral},
  {I::iso_8859_3, "ISO-8859-3", "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3", "latin-3", K::single_byte, kSb_iso_8859_3, "", 0, "mt tr"},  // hardly any tool writes it
  {I::iso_8859_4, "ISO-8859-4", "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4", "latin-4", K::single_byte, kSb_iso_8859_4, "", 1, kBaltic},
  {I::iso_8859_5, "ISO-8859-5", "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988", "", K::single_byte, kSb_iso_8859_5, "", 1, kCyrillic},
  {I::iso_8859_6, "ISO-8859-6", "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987", "", K::single_byte, kSb_iso_8859_6, "", 1, "ar fa"},
  {I::iso_8859_7, "ISO-8859-7", "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek", "", K::single_byte, kSb_iso_8859_7, "", 2, "el"},
  {I::iso_8859_8, "ISO-8859-8", "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 iso_8859-8 iso_8859-8:1988 visual", "", K::single_byte, kSb_iso_8859_8, "", 0, "he"},  // visual Hebrew: the same letters as -8-I
  {I::iso_8859_8_i, "ISO-8859-8-I", "csiso88598i iso-8859-8-i logical", "", K::single_byte, kSb_iso_8859_8, "", 2, "he"},
  {I::iso_8859_10, "ISO-8859-10", "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6", "latin-6", K::single_byte, kSb_iso_8859_10, "", 0, kBaltic},  // hardly any tool writes it
  {I::iso_8859_13, "ISO-8859-13", "iso-8859-13 iso8859-13 iso885913", "latin7 latin-7", K::single_byte, kSb_iso_8859_13, "", 1, kBaltic},
  {I::iso_8859_14, "ISO-8859-14", "iso-8859-14 iso8859-14 iso885914", "latin8 latin-8", K::single_byte, kSb_iso_8859_14, "", 0, "ga en"},  // hardly any tool writes it
  {I::iso_8859_15, "ISO-8859-15", "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9", "latin9 latin-9 latin0", K::single_byte, kSb_iso_8859_15, "", 2, kWestern},
  {I::iso_8859_16, "ISO-8859-16", "iso-8859-16", "latin10 latin-10", K::single_byte, kSb_iso_8859_16, "", 0, "ro hu pl hr sl sq"},  // hardly any tool writes it
  {I::koi8_r, "KOI8-R", "cskoi8r koi koi8 koi8-r koi8_r", "", K::single_byte, kSb_koi8_r, "", 2, kRussian},
  {I::koi8_u, "KOI8-U", "koi8-ru koi8-u", "", K::single_byte, kSb_koi8_u, "", 1, "uk ru be"},
  {I::macintosh, "macintosh", "csmacintosh mac macintosh x-mac-roman", "macroman mac-roman", K::single_byte, kSb_macintosh, "", 2, kWestern},
  {I::x_mac_cyrillic, "x-mac-cyrillic", "x-mac-cyrillic x-mac-ukrainian", "maccyrillic", K::single_byte, kSb_x_mac_cyrillic, "", 1, kCyrillic},
  {I::ibm866, "IBM866", "866 cp866 csibm866 ibm866", "", K::single_byte, kSb_ibm866, "", 1, kRussian},
  {I::shift_jis, "Shift_JIS", "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis", "cp932 mskanji", K::shift_jis, nullptr, "enc-jis.bin", 4, ""},
  {I::euc_jp, "EUC-JP", "cseucpkdfmtjapanese euc-jp x-euc-jp", "", K::euc_jp, nullptr, "enc-jis.bin", 2, ""},
  {I::iso_2022_jp, "ISO-2022-JP", "csiso2022jp iso-2022-jp", "jis", K::iso_2022_jp, nullptr, "enc-jis.bin", 1, ""},
  {I::gbk, "GBK", "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk", "cp936 windows-936", K::gb18030, nullptr, "enc-gb.bin", 4, ""},
  {I::gb18030, "gb18030", "gb18030", "gb-18030", K::gb18030, nullptr, "enc-gb.bin", 0, ""},  // the same reading as GBK, which Excel writes
  {I::big5, "Big5", "big5 big5-hkscs cn-big5 csbig5 x-x-big5", "cp950", K::big5, nullptr, "enc-big5.bin", 3, ""},
  {I::euc_kr, "EUC-KR", "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 windows-949", "cp949 uhc", K::euc_kr, nullptr, "enc-kr.bin", 3, ""},
};
// clang-format on

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// ASCII whitespace as the standard trims it from a label.
bool ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

std::string fold(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '-' || c == '_' || c == '.' || ascii_space(c)) continue;
    out.push_back(lower(c));
  }
  return out;
}

void split(std::string_view s, std::vector<std::string_view>& out) {
  while (!s.empty()) {
    const size_t sp = s.find(' ');
    out.push_back(s.substr(0, sp));
    if (sp == std::string_view::npos) break;
    s.remove_prefix(sp + 1);
  }
}

template <class F>
const EncodingInfo* find_label(F&& same) {
  for (const auto& e : kEncodings) {
    std::vector<std::string_view> words;
    split(e.labels, words);
    for (auto w : words)
      if (same(w)) return &e;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string_view> EncodingInfo::all_labels() const {
  std::vector<std::string_view> v;
  split(labels, v);
  split(extra, v);
  return v;
}

const std::vector<EncodingInfo>& all_encodings() { return kEncodings; }

const EncodingInfo& encoding_info(EncodingId id) {
  for (const auto& e : kEncodings)
    if (e.id == id) return e;
  return kEncodings.front();  // unreachable: every id is in the table (tested)
}

const EncodingInfo* find_encoding(std::string_view label) {
  while (!label.empty() && ascii_space(label.front())) label.remove_prefix(1);
  while (!label.empty() && ascii_space(label.back())) label.remove_suffix(1);
  if (label.empty()) return nullptr;
  std::string low(label);
  for (char& c : low) c = lower(c);
  if (const EncodingInfo* e = find_label([&](std::string_view w) { return w == low; })) return e;
  // Our own leniency: the name or a label without punctuation, or one of the extra aliases.
  const std::string f = fold(label);
  if (f.empty()) return nullptr;
  for (const auto& e : kEncodings) {
    if (fold(e.name) == f) return &e;
    for (auto w : e.all_labels())
      if (fold(w) == f) return &e;
  }
  return nullptr;
}

}  // namespace canopy
