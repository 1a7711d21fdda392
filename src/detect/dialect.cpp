#include "detect/dialect.h"

#include <cmath>
#include <map>
#include <vector>

#include "parse/scanner.h"

namespace canopy {
namespace {

// Cell counts of the first records under delimiter `d`, read by the reader's own scanner (quotes,
// comments, blank and empty lines as the reader sees them). `whole`: the sample is the whole text;
// otherwise a record cut off by the sample window is not evidence.
std::vector<size_t> cell_counts(std::string_view s, char d, size_t max_records, bool whole) {
  std::vector<size_t> counts;
  Scanner scanner(ScanRules{d, true});
  ScannedRecord rec;
  while (counts.size() < max_records && scanner.next(s.data(), s.size(), whole, &rec)) {
    if (rec.kind == LineKind::record || (rec.kind == LineKind::empty_record && counts.empty())) {
      counts.push_back(rec.cells);
    }
  }
  return counts;
}

constexpr size_t kMaxLeadLines = 10;

}  // namespace

Dialect detect_dialect(std::string_view text, size_t max_records) {
  // Look at a bounded window: the first records decide.
  const std::string_view sample = text.substr(0, std::min<size_t>(text.size(), 256 * 1024));
  Dialect best;
  best.delimiter = ',';
  best.confidence = 0;
  best.method = "default";
  double best_score = 0;
  for (char d : {',', ';', '\t'}) {
    auto counts = cell_counts(sample, d, max_records, sample.size() == text.size());
    // One-cell lines above the header (a report title, Entra ID's "version:v1.0") are no evidence: the
    // header is the first record that splits (parse/layout.h looks for it the same way).
    size_t lead = 0;
    while (lead < counts.size() && lead < kMaxLeadLines && counts[lead] < 2) ++lead;
    // They still count against the consistency, so a split that needs them skipped scores lower.
    if (lead == counts.size() || lead == kMaxLeadLines) lead = 0;
    if (counts.empty() || counts[lead] < 2) continue;
    const size_t width = counts[lead];
    // Consistency: how many records have the header's width. Ties go to the wider split.
    size_t same = 0;
    for (size_t c : counts) same += c == width;
    const double consistency = static_cast<double>(same) / static_cast<double>(counts.size());
    const double score = consistency * 1000.0 + static_cast<double>(std::min<size_t>(width, 100));
    if (score > best_score) {
      best_score = score;
      best.delimiter = d;
      best.confidence = static_cast<int>(std::lround(consistency * 100.0));
      best.method = "detected";
    }
  }
  return best;
}

char parse_delimiter(std::string_view name) {
  if (name == "," || name == "comma") return ',';
  if (name == ";" || name == "semicolon") return ';';
  if (name == "\t" || name == "tab" || name == "\\t") return '\t';
  return 0;
}

const char* delimiter_name(char d) {
  switch (d) {
    case ';': return "semicolon";
    case '\t': return "tab";
    default: return "comma";
  }
}

}  // namespace canopy
