// The encodings table and the WHATWG decoders (detect/encodings.h, detect/decoder.h). Expected text is
// written out from the Encoding Standard's algorithms and indexes; tests/e2e/encoding-diff.test.mjs
// compares every table with Chromium's TextDecoder.
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <string>

#include "detect/decoder.h"
#include "detect/encoding.h"
#include "detect/encoding_tables.h"
#include "detect/encodings.h"

using namespace canopy;

namespace {

std::string decode(std::string_view label, std::string_view bytes) {
  const EncodingInfo* e = find_encoding(label);
  REQUIRE(e);
  auto r = decode_bytes(e->id, bytes, false);
  REQUIRE(r.ok());
  return r.value();
}

// The byte offset a fatal decode stops at, or -1 when it decodes.
long fatal_at(std::string_view label, std::string_view bytes) {
  StreamDecoder d(find_encoding(label)->id, true);
  std::string out;
  if (d.feed(bytes.data(), bytes.size(), true, out)) return -1;
  return static_cast<long>(d.error_offset());
}

const std::string R = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

TEST_CASE("every WHATWG label names its encoding", "[encodings]") {
  auto [label, name] = GENERATE(table<std::string, std::string>({
      {"latin1", "windows-1252"},
      {"iso-8859-1", "windows-1252"},
      {"ascii", "windows-1252"},
      {"us-ascii", "windows-1252"},
      {"cp1252", "windows-1252"},
      {"iso-8859-9", "windows-1254"},
      {"latin5", "windows-1254"},
      {"gbk", "GBK"},
      {"gb2312", "GBK"},
      {"gb18030", "gb18030"},
      {"iso-8859-8-i", "ISO-8859-8-I"},
      {"iso-8859-8", "ISO-8859-8"},
      {"cp932", "Shift_JIS"},
      {"windows-31j", "Shift_JIS"},
      {"sjis", "Shift_JIS"},
      {"ms932", "Shift_JIS"},
      {"windows-949", "EUC-KR"},
      {"ks_c_5601-1987", "EUC-KR"},
      {"x-mac-roman", "macintosh"},
      {"mac", "macintosh"},
      {"macroman", "macintosh"},
      {"ansi", "windows-1252"},
      {"utf16", "UTF-16LE"},
      {"utf-16", "UTF-16LE"},
      {"unicode", "UTF-16LE"},
      {"unicodefffe", "UTF-16BE"},
      {"unicode-1-1-utf-8", "UTF-8"},
      {"dos-874", "windows-874"},
      {"tis-620", "windows-874"},
      {"iso-8859-11", "windows-874"},
      {"koi8-ru", "KOI8-U"},
      {"koi", "KOI8-R"},
      {"866", "IBM866"},
      {"x-mac-ukrainian", "x-mac-cyrillic"},
      {"big5-hkscs", "Big5"},
      {"x-euc-jp", "EUC-JP"},
      {"csiso2022jp", "ISO-2022-JP"},
      {"l9", "ISO-8859-15"},
      {"latin9", "ISO-8859-15"},
      {"  Latin1\t", "windows-1252"},
      {"SHIFT_JIS", "Shift_JIS"},
      {"Shift JIS", "Shift_JIS"},
      {"windows1250", "windows-1250"},
      {"UTF-16 LE", "UTF-16LE"},
      {"iso-8859-16", "ISO-8859-16"},
  }));
  CAPTURE(label);
  const EncodingInfo* e = find_encoding(label);
  REQUIRE(e);
  CHECK(e->name == name);
}

TEST_CASE("labels that name no encoding", "[encodings]") {
  for (const char* label : {"", "  ", "klingon", "utf-7", "replacement", "x-user-defined", "iso-2022-kr", "ebcdic"}) {
    CAPTURE(label);
    CHECK(find_encoding(label) == nullptr);
  }
}

TEST_CASE("the table is whole and no two encodings share a label", "[encodings]") {
  std::map<std::string, const EncodingInfo*> seen;
  for (const auto& e : all_encodings()) {
    CAPTURE(e.name);
    CHECK(&encoding_info(e.id) == &e);
    CHECK(find_encoding(e.name) == &e);
    CHECK(e.single_byte() == (e.table != nullptr));
    CHECK(e.table_file.empty() ==
          (e.single_byte() || e.id == EncodingId::utf8 || e.id == EncodingId::utf16le || e.id == EncodingId::utf16be));
    for (auto label : e.all_labels()) {
      CAPTURE(label);
      CHECK(find_encoding(label) == &e);
      // Written without punctuation too, it still names only this encoding.
      std::string folded;
      for (char c : label)
        if (c != '-' && c != '_' && c != '.' && c != ' ') folded.push_back(c);
      CHECK(find_encoding(folded) == &e);
      CHECK(seen.emplace(folded, &e).first->second == &e);
    }
  }
  CHECK(all_encodings().size() == 38);
  CHECK(supported_encodings().front() == "UTF-8");
  CHECK(canonical_encoding("latin1") == "windows-1252");
}

TEST_CASE("single-byte decoders follow their indexes", "[decoder]") {
  CHECK(decode("windows-1252", "caf\xE9 \x80 \x81 \x9F") == "caf\xC3\xA9 \xE2\x82\xAC \xC2\x81 \xC5\xB8");
  CHECK(decode("iso-8859-1", "\x80") == "\xE2\x82\xAC");                           // a label of windows-1252
  CHECK(decode("windows-1254", "\xDE\xFD") == "\xC5\x9E\xC4\xB1");                 // Şı
  CHECK(decode("iso-8859-15", "\xA4\xA6\xBD") == "\xE2\x82\xAC\xC5\xA0\xC5\x93");  // €Šœ
  CHECK(decode("macintosh", "Jos\x83") == "Jos\xC3\x89");                          // José
  CHECK(decode("koi8-u", "\xAE\xBE") == "\xD1\x9E\xD0\x8E");                       // ўЎ (KOI8-RU's letters)
  CHECK(decode("windows-1255", "\xCA") == "\xD6\xBA");                             // U+05BA
  CHECK(decode("windows-874",
               "a\xDB"
               "b") == "a" + R + "b");  // no code point at 0xDB
  CHECK(decode("windows-1253", "\xAA") == R);
  CHECK(fatal_at("windows-874", "ab\xDB") == 2);
  CHECK(fatal_at("windows-1252", std::string(200, 'x') + "\x81") == -1);
}

TEST_CASE("UTF-8 errors as the standard counts them", "[decoder]") {
  CHECK(decode("utf-8", "a\xE2\x82") == "a" + R);       // a truncated sequence: one
  CHECK(decode("utf-8", "\xF0\x80\x80") == R + R + R);  // no valid prefix: each byte
  CHECK(decode("utf-8", "\xED\xA0\x80") == R + R + R);  // a surrogate
  CHECK(decode("utf-8", "\xC0\xAF") == R + R);          // overlong
  CHECK(decode("utf-8",
               "\xE2\x82"
               "a") == R + "a");  // the byte after is itself
  CHECK(decode("utf-8", "\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");
  CHECK(fatal_at("utf-8", "abc\xE2\x82") == 3);
  CHECK(fatal_at("utf-8",
                 "ab\xE2\x82"
                 "c") == 2);
}

TEST_CASE("UTF-16 surrogates and odd bytes", "[decoder]") {
  CHECK(decode("utf-16le", std::string("A\0\x3D\xD8\x00\xDE", 6)) == "A\xF0\x9F\x98\x80");
  CHECK(decode("utf-16be", std::string("\0A\xD8\x3D\xDE\x00", 6)) == "A\xF0\x9F\x98\x80");
  CHECK(decode("utf-16le", std::string("\x00\xD8"
                                       "A\0",
                                       4)) == R + "A");  // lone lead, then the unit again
  CHECK(decode("utf-16le", std::string("\x00\xDC"
                                       "A\0",
                                       4)) == R + "A");          // lone trail
  CHECK(decode("utf-16le", std::string("A\0B", 3)) == "A" + R);  // odd byte at the end
  CHECK(decode("utf-16le", std::string("\x00\xD8", 2)) == R);
  CHECK(fatal_at("utf-16le", std::string("A\0B\0\x00\xD8"
                                         "C\0",
                                         8)) == 4);
  CHECK(fatal_at("utf-16be", std::string("\0A\0", 3)) == 2);
}

TEST_CASE("Japanese decoders", "[decoder]") {
  CHECK(decode("shift_jis", "\x82\xA0\x5C\xA1\x80") == "\xE3\x81\x82\\\xEF\xBD\xA1\xC2\x80");  // あ\｡U+0080
  CHECK(decode("shift_jis", "\x82 ") == R + " ");  // an ASCII byte after a lead is itself
  CHECK(decode("shift_jis", "a\x82") == "a" + R);
  CHECK(decode("shift_jis", "\xA0") == R);
  CHECK(decode("shift_jis", "\xF0\x40") == "\xEE\x80\x80");                   // user-defined area: U+E000
  CHECK(decode("euc-jp", "\xA4\xA2\x8E\xB1") == "\xE3\x81\x82\xEF\xBD\xB1");  // あｱ
  CHECK(decode("euc-jp", "\x8F\xA2\xAF") == "\xCB\x98");                      // JIS X 0212: ˘
  CHECK(decode("euc-jp",
               "\x8F\xA2"
               "A") == R + "A");
  CHECK(decode("iso-2022-jp", "a\x1B$B0!\x1B(Bb") ==
        "a\xE4\xBA\x9C"
        "b");                                                           // 亜
  CHECK(decode("iso-2022-jp", "\x1B(J\\~") == "\xC2\xA5\xE2\x80\xBE");  // ¥‾
  CHECK(decode("iso-2022-jp", "\x1B(I!") == "\xEF\xBD\xA1");
  CHECK(decode("iso-2022-jp", "\x1B(B\x1B(Ba") == R + "a");  // two escapes with nothing between
  CHECK(decode("iso-2022-jp", "\x1Bx") == R + "x");
  CHECK(decode("iso-2022-jp", "\x1B$x") == R + "$x");
  CHECK(decode("iso-2022-jp", "\x1B$B0") == R);  // a lead at the end
  CHECK(decode("iso-2022-jp", "\x0E") == R);
  CHECK(fatal_at("iso-2022-jp", "ab\x1B$B0\"0") == 7);
  CHECK(fatal_at("shift_jis", "ab\x82") == 2);
}

TEST_CASE("Chinese decoders", "[decoder]") {
  CHECK(decode("gbk", "\xB0\xA1\x80") == "\xE5\x95\x8A\xE2\x82\xAC");          // 啊€
  CHECK(decode("gb18030", "\x81\x30\x81\x30") == "\xC2\x80");                  // U+0080
  CHECK(decode("gb18030", "\x84\x31\xA4\x39") == "\xEF\xBF\xBF");              // U+FFFF
  CHECK(decode("gb18030", "\x90\x30\x81\x30") == "\xF0\x90\x80\x80");          // U+10000
  CHECK(decode("gb18030", "\xE3\x32\x9A\x35") == "\xF4\x8F\xBF\xBF");          // U+10FFFF, the last
  CHECK(decode("gb18030", "\xE3\x32\x9A\x36") == R);                           // past the last
  CHECK(decode("gb18030", "\x84\x31\xA5\x30") == R);                           // between the ranges
  CHECK(decode("gb18030", "\x81\x35\xF4\x37") == "\xEE\x9F\x87");              // pointer 7457: U+E7C7
  CHECK(decode("gb18030", "\xA6\xD9\xFE\x59") == "\xEF\xB8\x90\xE9\xBE\xB4");  // GB18030-2022: U+FE10 U+9FB4
  CHECK(decode("gb18030", "\xA3\xA0") == "\xE3\x80\x80");                      // U+3000
  CHECK(decode("gb18030",
               "\x81\x30"
               "a") == R + "0a");  // the digit again
  CHECK(decode("gb18030", "\x81\x30\x81 ") == R + "0" + R + " ");
  CHECK(decode("gb18030",
               "\x81\x30\x81"
               "a") == R + "0\xE4\xB9\xA4");  // 0x81 0x61 is a character
  CHECK(decode("gb18030", "\x81") == R);
  CHECK(decode("gb18030", "\xFF") == R);
  CHECK(decode("big5", "\xA4\x40") == "\xE4\xB8\x80");                              // 一
  CHECK(decode("big5", "\x88\x62\x88\x64") == "\xC3\x8A\xCC\x84\xC3\x8A\xCC\x8C");  // Ê̄ Ê̌
  CHECK(decode("big5", "\x88\xA3\x88\xA5") == "\xC3\xAA\xCC\x84\xC3\xAA\xCC\x8C");  // ê̄ ê̌
  CHECK(decode("big5", "\x80") == R);
  CHECK(decode("big5", "\xA4 ") == R + " ");
  CHECK(fatal_at("gb18030", "x\x81\x30\x81") == 1);
  CHECK(fatal_at("big5", "xy\xA4\x20") == 2);
}

TEST_CASE("Korean decoder", "[decoder]") {
  CHECK(decode("euc-kr", "\xB0\xA1\x81\x41") == "\xEA\xB0\x80\xEA\xB0\x82");  // 가갂
  CHECK(decode("euc-kr", "\xB0 ") == R + " ");
  CHECK(decode("euc-kr", "\xFF") == R);
  CHECK(fatal_at("euc-kr", "a\xB0") == 1);
}

TEST_CASE("decode_bytes says where a fatal error is", "[decoder]") {
  auto r = decode_bytes(EncodingId::shift_jis, "abc\x82", true);
  REQUIRE(!r.ok());
  CHECK(r.error().code == "undecodable");
  CHECK(r.error().message ==
        "The file is not valid Shift_JIS: the bytes at offset 3 (line 1) do not decode. Pick the encoding the file "
        "was saved in, or save it again as CSV UTF-8.");
  // The line counts LF, CRLF and a lone CR (Excel for Mac) as one break each; UTF-16 by code units.
  CHECK(line_at(EncodingId::windows_1252, "a\nb\r\nc\rd", 8) == 4);
  CHECK(line_at(EncodingId::windows_1252, "a\r\nb", 2) == 1);                         // between CR and LF: still line 1
  CHECK(line_at(EncodingId::utf16le, std::string("a\0\n\0b\0\x0A\x01", 8), 6) == 2);  // U+010A is no break
  CHECK(line_at(EncodingId::utf16be, std::string("\0a\0\r\0\n\0b", 8), 8) == 2);
  auto k = decode_to_utf8("email\nx@y.org\n\xB0\xA1\xB0 \n", "euc-kr");
  REQUIRE(!k.ok());
  CHECK(k.error().message.find("at offset 16 (line 3)") != std::string::npos);
}

TEST_CASE("forced encodings decode through the WHATWG decoders", "[decoder]") {
  auto r = decode_to_utf8("name\n\x82\xA0\n", "windows-31j");
  REQUIRE(r.ok());
  CHECK(r.value().encoding == "Shift_JIS");
  CHECK(r.value().text == "name\n\xE3\x81\x82\n");
  auto bad = decode_to_utf8("name\nab\xDB\n", "windows-874");
  REQUIRE(!bad.ok());
  CHECK(bad.error().message.find("offset 7") != std::string::npos);
  auto gbk = decode_to_utf8("name\n\xD5\xC5\xC8\xFD\n", "gbk");  // 张三
  REQUIRE(gbk.ok());
  CHECK(gbk.value().text == "name\n\xE5\xBC\xA0\xE4\xB8\x89\n");
  auto bom = decode_to_utf8(std::string("\xFF\xFE"
                                        "A\0",
                                        4),
                            "utf-16");
  REQUIRE(bom.ok());
  CHECK(bom.value().text == "A");
}

TEST_CASE("every split point gives the same text", "[decoder][chunks]") {
  std::mt19937 rng(20261202);
  // Edge cases of every decoder, then random bytes (half of them ASCII).
  std::vector<std::string> inputs = {
      "a\xE2\x82\xAC"
      "b\xF0\x9F\x98\x80\xE2\x82",
      std::string("A\0\x3D\xD8\x00\xDE\x00\xD8"
                  "B\0C",
                  11),
      "\x82\xA0\x82 \x81",
      "\x8F\xA2\xAF\x8E\xB1\x8F\xA2"
      "A\xA4",
      "a\x1B$B0\"\x1B(B\x1B(Bb\x1B(J\\\x1B$x\x1B(I!\x1B$B0",
      "\x81\x30\x81\x30\x84\x31\xA4\x39\x81\x30\x81"
      "a\x81\x30"
      "b\xE3\x32\x9A\x36\x81",
      "\x88\x62\xA4\x40\xA4 \x80\x88",
      "\xB0\xA1\xB0 \xFF\x81",
      "caf\xE9\x80\x81\xDB",
  };
  // Long ASCII runs (the vector paths) with other bytes at the edges of 16 and 64.
  for (size_t k : {0, 7, 15, 16, 17, 31, 63, 64, 65, 100}) {
    std::string s(130, 'a');
    s[k] = '\xE9';
    s[k + 1] = '\xD8';
    s[k + 2] = '\x3D';
    inputs.push_back(s);
  }
  for (int k = 0; k < 30; ++k) {
    std::string s;
    const size_t n = 1 + rng() % 300;
    for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>(rng() % 2 ? rng() % 0x80 : 0x80 + rng() % 0x80));
    inputs.push_back(s);
  }
  for (const auto& e : all_encodings()) {
    CAPTURE(e.name);
    for (const auto& in : inputs) {
      for (bool fatal : {false, true}) {
        StreamDecoder whole(e.id, fatal);
        std::string expected;
        const bool ok = whole.feed(in.data(), in.size(), true, expected);
        for (size_t cut = 0; cut <= in.size(); ++cut) {
          StreamDecoder d(e.id, fatal);
          std::string got;
          bool good = d.feed(in.data(), cut, false, got);
          if (good) good = d.feed(in.data() + cut, in.size() - cut, true, got);
          CAPTURE(in, cut, fatal);
          REQUIRE(good == ok);
          if (ok) REQUIRE(got == expected);
          else REQUIRE(d.error_offset() == whole.error_offset());
        }
        // Byte by byte.
        StreamDecoder d(e.id, fatal);
        std::string got;
        bool good = true;
        for (size_t i = 0; i < in.size() && good; ++i) good = d.feed(in.data() + i, 1, false, got);
        if (good) good = d.feed(nullptr, 0, true, got);
        REQUIRE(good == ok);
        if (ok) REQUIRE(got == expected);
        else REQUIRE(d.error_offset() == whole.error_offset());
      }
    }
  }
}

TEST_CASE("a BOM to skip is dropped wherever the pieces are cut", "[decoder][chunks]") {
  auto [id, input, text] = GENERATE(table<EncodingId, std::string, std::string>({
      {EncodingId::utf8,
       "\xEF\xBB\xBF"
       "ab",
       "ab"},
      {EncodingId::utf8,
       "\xEF\xBB"
       "ab",
       R + "ab"},                                                      // most of a BOM is text (and an error)
      {EncodingId::utf8, "\xEF\xBB\xBF\xEF\xBB\xBF", "\xEF\xBB\xBF"},  // a second one is U+FEFF
      {EncodingId::utf8, "\xEF", R},
      {EncodingId::utf16le,
       std::string("\xFF\xFE"
                   "a\0",
                   4),
       "a"},
      {EncodingId::utf16le,
       std::string("\xFE\xFF"
                   "a\0",
                   4),
       "\xEF\xBF\xBE"
       "a"},  // the other order is text
      {EncodingId::utf16be, std::string("\xFE\xFF\0a", 4), "a"},
      {EncodingId::utf16be, std::string("\xFE", 1), R},
      {EncodingId::windows_1252,
       "\xEF\xBB\xBF"
       "a",
       "\xC3\xAF\xC2\xBB\xC2\xBF"
       "a"},  // no BOM in a single-byte encoding
  }));
  CAPTURE(input);
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    StreamDecoder d(id, false, true);
    std::string got;
    REQUIRE(d.feed(input.data(), cut, false, got));
    REQUIRE(d.feed(input.data() + cut, input.size() - cut, true, got));
    CHECK(got == text);
  }
  // Offsets count the BOM: the bad byte after it is at 3.
  StreamDecoder fatal(EncodingId::utf8, true, true);
  std::string out;
  CHECK(!fatal.feed("\xEF\xBB\xBF\xFF", 4, true, out));
  CHECK(fatal.error_offset() == 3);
  CHECK(fatal.dropped_bom());
}

TEST_CASE("table files are installed by name and checked", "[decoder][tables]") {
  // The native build embeds every file; each is one the encodings table names.
  const EmbeddedTableFile* files = nullptr;
  const size_t n = embedded_table_files(&files);
  CHECK(n == 4);
  for (const auto& e : all_encodings()) {
    CAPTURE(e.name);
    CHECK(table_file_installed(e.table_file));
    CHECK(StreamDecoder(e.id, false).missing_table().empty());
  }
  CHECK_FALSE(table_file_installed("enc-xx.bin"));
  CHECK_FALSE(install_table_file("enc-xx.bin", files[0].bytes));                        // not one of ours
  CHECK_FALSE(install_table_file("enc-jis.bin", "CNPYENC1"));                           // cut short
  CHECK_FALSE(install_table_file("enc-jis.bin", std::string("XXXXXXXX\0\0\0\0", 12)));  // not such a file
  CHECK_FALSE(install_table_file("enc-gb.bin", files[0].bytes));                        // another file's tables
  // The same bytes again are fine, and decoding still works.
  for (size_t i = 0; i < n; ++i) CHECK(install_table_file(files[i].name, files[i].bytes));
  CHECK(decode("shift_jis", "\x82\xA0") == "\xE3\x81\x82");
}
