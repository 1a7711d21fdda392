// Which encoding a legacy file (not UTF-8, no BOM, not UTF-16) is in: every reading the importer
// supports is judged on a bounded sample of the file — how plausible its words are
// (detect/plausibility.h), whether its multi-byte structure holds, and what ICU's detector and uchardet
// say (detect/votes.h) — and the decision says when it is unsure, so that the user is asked instead of
// given a wrong name silently. Readings that give the same text for the sample are one candidate.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "detect/votes.h"

namespace canopy {

struct EncodingInfo;

// The wizard and the CLI decide on the same sample: the first lines of the first 10 MiB, then every
// line in it that has a byte beyond ASCII, up to 16 KiB in all (whole lines: a multi-byte character
// never straddles a line break).
constexpr size_t kDetectionWindow = 10u << 20;
constexpr size_t kSampleBytes = 16u << 10;
std::string detection_sample(std::string_view bytes);

struct EncodingCandidate {
  const EncodingInfo* encoding = nullptr;
  int score = 0;                      // 0..100, plausibility plus the detectors' votes
  int plausibility = 0;               // 0..100, the words alone
  std::string language;               // ISO 639-1 of the language its letters fit, when one does
  std::vector<std::string> examples;  // the sample's first non-ASCII cells as this reading decodes them
};

struct EncodingDecision {
  std::vector<EncodingCandidate> candidates;  // best first; for the chooser, those worth showing (2-3)
  bool unsure = false;                        // ask the user: the best is weak or a close second differs
  std::vector<std::string> tables_needed;     // table files (encoding_tables.h) to install, then decide again
};

// `sample`: detection_sample() of the file. `votes`: detector_votes() of the same sample.
EncodingDecision decide_encoding(std::string_view sample, const DetectorVotes& votes);

}  // namespace canopy
