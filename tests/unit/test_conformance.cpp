// Conformance cases from CPython's csv.Sniffer tests and the W3C CSVW test suite (one file plus its
// expected JSON each, tests/vectors/conformance/README.md), loaded through the import session exactly
// as an upload is. tests/node/conformance.test.mjs runs the same files against the wasm build.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "detect/dialect.h"
#include "detect/encoding.h"
#include "session/session.h"
#include "test_files.h"

using namespace canopy;
namespace fs = std::filesystem;
using canopy::test::slurp;

namespace {

const std::string kDir = std::string(CANOPY_SOURCE_DIR) + "/tests/vectors/conformance/";

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kDir)) {
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("conformance vectors are all there", "[conformance]") {
  const auto names = case_names();
  // 12 Python sniffer cases (comma, semicolon, tab), 9 CSVW suite cases, 3 derived from CSVW's dialect.
  CHECK(std::count_if(names.begin(), names.end(), [](const std::string& n) { return n.rfind("python-", 0) == 0; }) ==
        12);
  CHECK(std::count_if(names.begin(), names.end(), [](const std::string& n) { return n.rfind("csvw-", 0) == 0; }) == 12);
}

TEST_CASE("conformance: Python csv.Sniffer and W3C CSVW cases", "[conformance]") {
  const std::string name = GENERATE(from_range(case_names()));
  CAPTURE(name);
  const auto spec = nlohmann::json::parse(slurp(kDir + name + ".json"));
  const std::string bytes = slurp(kDir + spec.at("file").get<std::string>());
  const auto& want = spec.at("expected");
  REQUIRE(spec.contains("source"));

  LoadOptions options;
  if (spec.contains("options")) options.delimiter = spec["options"].value("delimiter", "");
  ImportSession s;
  auto loaded = s.load(bytes, options);

  if (want.contains("detected_delimiter")) {
    auto text = decode_to_utf8(std::string(bytes));
    REQUIRE(text.ok());
    CHECK(delimiter_name(detect_dialect(text.value().text).delimiter) == want["detected_delimiter"].get<std::string>());
  }
  if (want.contains("error")) {
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().code == want["error"].get<std::string>());
    return;
  }
  REQUIRE(loaded.ok());
  const UploadSummary& sum = loaded.value();
  CHECK(delimiter_name(sum.delimiter) == want.at("delimiter").get<std::string>());
  if (want.contains("encoding")) CHECK(sum.encoding == want["encoding"].get<std::string>());
  CHECK(sum.headers == want.at("headers").get<std::vector<std::string>>());
  CHECK(sum.comment_lines == want.at("comment_lines").get<uint32_t>());
  CHECK(sum.blank_lines == want.at("blank_lines").get<uint32_t>());

  // Rows as the preview shows them: cut or padded to the header's width.
  const Table& t = s.table();
  std::vector<std::vector<std::string>> rows;
  for (uint32_t r = 1; r < t.records.size(); ++r) {
    std::vector<std::string> row;
    for (uint32_t c = 0; c < t.columns(); ++c) row.emplace_back(t.cell(r, c));
    rows.push_back(std::move(row));
  }
  CHECK(rows == want.at("rows").get<std::vector<std::vector<std::string>>>());

  const auto& issues = want.at("issues");
  REQUIRE(t.issues.size() == issues.size());
  for (size_t i = 0; i < issues.size(); ++i) {
    CHECK(t.issues[i].row == issues[i].at("row").get<uint32_t>());
    CHECK(t.issues[i].line == issues[i].at("line").get<uint32_t>());
    CHECK(t.issues[i].code == issues[i].at("code").get<std::string>());
  }
}
