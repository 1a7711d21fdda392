// A statistical detector's vote on a file's encoding: what the detectors room (src/detectors) hands to
// the decision in detect/detection.h. A plain record, so the wasm page can pass votes computed by the
// lazily loaded detectors module.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace canopy {

struct DetectorVote {
  std::string detector;  // "icu" | "uchardet"
  std::string charset;   // the detector's own name for it ("ISO-8859-1", "WINDOWS-1252", "SHIFT_JIS", ...)
  int confidence = 0;    // 0..100 (uchardet gives no figure: 100 when it answers)
};

using DetectorVotes = std::vector<DetectorVote>;

// Computes the votes on a sample (detectors/votes.h detector_votes, where a build links it).
using VoteSource = DetectorVotes (*)(std::string_view sample);

}  // namespace canopy
