#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "detect/dialect.h"
#include "detect/encoding.h"
#include "detect/encodings.h"
#include "detect/plausibility.h"
#include "detectors/votes.h"
#include "test_files.h"

using namespace canopy;
using canopy::test::slurp;

namespace {
const std::string kDir = std::string(CANOPY_SOURCE_DIR) + "/tests/vectors/encodings/";
}  // namespace

TEST_CASE("real files decode to the right UTF-8 with the right encoding", "[detect][encoding]") {
  auto [file, utf8, encoding, method] = GENERATE(table<std::string, std::string, std::string, std::string>({
      {"excel-unicode-text-utf16le.txt", "excel-unicode-text.utf8", "UTF-16LE", "bom"},
      {"german-semicolon-windows-1252.csv", "german-semicolon.utf8", "windows-1252", "detected"},
      {"japanese-shift_jis.csv", "japanese.utf8", "Shift_JIS", "detected"},
      {"japanese-euc-jp.csv", "japanese.utf8", "EUC-JP", "detected"},
      {"utf8-bom.csv", "utf8-no-bom.csv", "UTF-8", "bom"},
      {"utf8-no-bom.csv", "utf8-no-bom.csv", "UTF-8", "utf8"},
      {"russian-windows-1251.csv", "russian.utf8", "windows-1251", "detected"},
      {"polish-windows-1250.csv", "polish.utf8", "windows-1250", "detected"},
      {"mixed-line-endings-no-final-newline.csv", "mixed-line-endings-no-final-newline.csv", "UTF-8", "utf8"},
  }));
  CAPTURE(file);
  auto r = decode_to_utf8(slurp(kDir + file), {}, nullptr, &detector_votes);
  REQUIRE(r.ok());
  CHECK(r.value().encoding == encoding);
  CHECK(r.value().method == method);
  CHECK(r.value().text == slurp(kDir + utf8));
  CHECK(r.value().confidence > 0);
}

TEST_CASE("an override decodes the same bytes again", "[detect][encoding]") {
  auto r = decode_to_utf8(slurp(kDir + "polish-windows-1250.csv"), "cp1250");
  REQUIRE(r.ok());
  CHECK(r.value().encoding == "windows-1250");
  CHECK(r.value().method == "override");
  CHECK(r.value().text == slurp(kDir + "polish.utf8"));
  // The same bytes read as windows-1252 give other (wrong, but decodable) text: the user's choice wins.
  auto w = decode_to_utf8(slurp(kDir + "polish-windows-1250.csv"), "windows-1252");
  REQUIRE(w.ok());
  CHECK(w.value().text != slurp(kDir + "polish.utf8"));
}

TEST_CASE("bad input gets a fatal error with a stable code", "[detect][encoding]") {
  CHECK(decode_to_utf8("").error().code == "file_empty");
  auto bin = decode_to_utf8(std::string("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", 14));
  CHECK(bin.error().code == "binary_file");
  CHECK(bin.error().message.find("byte 5") != std::string::npos);
  CHECK(decode_to_utf8("a,b\n", "klingon").error().code == "unknown_encoding");
  auto bad = decode_to_utf8("a,b\n\xff\xfe\xfd", "UTF-8");
  CHECK(bad.error().code == "undecodable");
}

TEST_CASE("UTF-16 without a BOM is recognised", "[detect][encoding]") {
  std::string le;
  for (char c : std::string("email,name\r\nx@y.org,X\r\n")) {
    le.push_back(c);
    le.push_back('\0');
  }
  auto r = decode_to_utf8(std::move(le));
  REQUIRE(r.ok());
  CHECK(r.value().encoding == "UTF-16LE");
  CHECK(r.value().text == "email,name\r\nx@y.org,X\r\n");
}

TEST_CASE("strict UTF-8 validation", "[detect][utf8]") {
  auto [input, bad_at] = GENERATE(table<std::string, size_t>({
      {"plain ascii", std::string::npos},
      {"caf\xc3\xa9", std::string::npos},
      {"\xf0\x9f\x98\x80 emoji", std::string::npos},
      {"over\xc0\xaflong", 4},
      {"surrogate \xed\xa0\x80", 10},
      {"too big \xf4\x90\x80\x80", 8},
      {"cut \xe2\x82", 4},
      {std::string(100, 'a') + "\x80", 100},
      {std::string(63, 'a') + "\xc3\xa9" + std::string(70, 'b'), std::string::npos},
  }));
  CHECK(find_invalid_utf8(input.data(), input.size()) == bad_at);
}

TEST_CASE("delimiter detection respects quotes and decimal commas", "[detect][dialect]") {
  auto [text, delim] = GENERATE(table<std::string, char>({
      {"a,b,c\n1,2,3\n", ','},
      {"name;amount\nMüller;3,5\nSchmidt;4,25\n", ';'},
      {"a\tb\n1\t2\n", '\t'},
      {"email,note\nx@y.org,\"one; two; three\"\ny@y.org,\"a;b\"\n", ','},
      {"email;note\nx@y.org;\"line one,\nline two, three\"\ny@y.org;plain\n", ';'},
      {"# comment, with; many, commas\nemail;name\nx@y.org;X\n", ';'},
      {"email\nx@y.org\n", ','},
  }));
  CAPTURE(text);
  CHECK(detect_dialect(text).delimiter == delim);
}

TEST_CASE("delimiter names", "[detect][dialect]") {
  CHECK(parse_delimiter("semicolon") == ';');
  CHECK(parse_delimiter("tab") == '\t');
  CHECK(parse_delimiter("pipe") == 0);
  CHECK(std::string(delimiter_name('\t')) == "tab");
}

// --- Detection of legacy encodings (detect/detection.h), with the detectors' votes as the native build
// computes them. The files are made by glibc's iconv (tests/vectors/encodings/tools/make.sh).

namespace {
const std::string kTools = kDir + "tools/";

Result<DecodeResult> detect(std::string bytes) {
  return decode_to_utf8(std::move(bytes), {}, nullptr, &detector_votes);
}
}  // namespace

TEST_CASE("exports of real tools in legacy encodings decode right, without asking", "[detect][detection]") {
  const auto expected = nlohmann::json::parse(slurp(kTools + "expected.json"));
  REQUIRE(expected.size() >= 14);
  for (const auto& [file, encoding] : expected.items()) {
    CAPTURE(file);
    auto r = detect(slurp(kTools + file));
    REQUIRE(r.ok());
    CHECK(r.value().encoding == encoding.get<std::string>());
    CHECK_FALSE(r.value().unsure);
    CHECK(r.value().method == "detected");
    const std::string utf8 = file.substr(0, file.size() - 4) + ".utf8";
    CHECK(r.value().text == slurp(kTools + utf8));
  }
}

TEST_CASE("the detectors' votes are an input: the wasm core asks for them", "[detect][detection]") {
  std::string bytes = slurp(kTools + "excel-tr-windows-1254.csv");
  auto needs = decode_to_utf8(std::move(bytes));
  REQUIRE_FALSE(needs.ok());
  CHECK(needs.error().code == "detectors_needed");
  // The bytes are still there for the retry, and votes given by the caller are used as they are.
  REQUIRE(bytes == slurp(kTools + "excel-tr-windows-1254.csv"));
  const DetectorVotes votes = detector_votes(detection_sample(bytes));
  auto r = decode_to_utf8(std::move(bytes), {}, &votes);
  REQUIRE(r.ok());
  CHECK(r.value().encoding == "windows-1254");
  // No votes at all (the module failed to load): the words alone still decide.
  const DetectorVotes none;
  auto alone = decode_to_utf8(slurp(kTools + "excel-tr-windows-1254.csv"), {}, &none);
  REQUIRE(alone.ok());
  CHECK(alone.value().encoding == "windows-1254");
}

TEST_CASE("a file too short to tell asks, and offers the right reading among its choices", "[detect][detection]") {
  // Two Hebrew words: windows-1255, but KOI8-R reads them as Cyrillic capitals and windows-874 as Thai.
  const std::string hebrew = "email,name\r\nd@example.com,\xE3\xE5\xE3 \xEB\xE4\xEF\r\n";
  auto r = detect(hebrew);
  REQUIRE(r.ok());
  CHECK(r.value().unsure);
  REQUIRE(r.value().candidates.size() >= 2);
  bool offered = false;
  for (const auto& c : r.value().candidates) offered |= std::string(c.encoding->name) == "windows-1255";
  CHECK(offered);
  // Each choice shows the same cell as that reading decodes it.
  for (const auto& c : r.value().candidates) {
    REQUIRE(c.examples.size() == 1);
    CHECK_FALSE(c.examples[0].empty());
  }
}

TEST_CASE("the sample is bounded and made of whole lines from the first 10 MiB", "[detect][detection]") {
  std::string big = "email,name\n";
  while (big.size() < (4u << 20)) big += "someone@example.com,Plain Ascii\n";
  big += "zoe@example.com,Zo\xEB\n";
  const std::string sample = detection_sample(big);
  CHECK(sample.size() <= kSampleBytes + 4096);
  CHECK(sample.find("Zo\xEB\n") != std::string::npos);
  CHECK(sample.rfind("email,name\n", 0) == 0);
  std::string beyond(kDetectionWindow + 10, 'a');
  beyond += "\xEB\n";
  CHECK(detection_sample(beyond).find('\xEB') == std::string::npos);
}

TEST_CASE("plausibility: the marks a wrong code page leaves cost more than the right reading",
          "[detect][plausibility]") {
  const auto worse = [](const char* wrong, const char* right) {
    CAPTURE(wrong, right);
    CHECK(judge_text(wrong).penalty > judge_text(right).penalty);
  };
  worse("Ayţe Yýlmaz, Gülţen", "Ayşe Yılmaz, Gülşen");  // windows-1250 for windows-1254
  worse("Chloé L½uillet", "Chloé Lœuillet");            // windows-1252 for ISO-8859-15
  worse("¦midt", "Šmidt");
  worse("JosŽ NœÑez", "José Núñez");               // windows-1252 for macintosh
  worse("йБЮМ РЕФТПЧ", "Иван Петров");             // windows-1251 for KOI8-R
  worse("Nú\u0144ez Ĺngström", "Núñez Ångström");  // windows-1250 for windows-1252
  worse("Co\u0650rdinatie", "Coördinatie");        // an Arabic mark on a Latin word
  CHECK(judge_text("Ayşe Yılmaz İnsan Kaynakları").score == 100);
  CHECK(judge_text("Иван Петров, Ольга Смирнова").score == 100);
  CHECK(judge_text("plain ascii only").words == 0);
}
