// The statistical detectors' opinions on a byte sample: ICU's charset detector and uchardet. Pure
// computation, no decision: detect/detection.h weighs them with the plausibility of each reading.
// Natively linked into the session; in wasm a lazily loaded module of its own (wasm/detectors.cpp),
// because their models are large and only a legacy (not UTF-8, not UTF-16) file needs them.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "detect/votes.h"

namespace canopy {

// ICU's best three matches (charset name as ICU spells it, confidence 0..100) and uchardet's answer
// (confidence 100, or none when it has no answer). `sample`: detect/detection.h detection_sample().
std::vector<DetectorVote> detector_votes(std::string_view sample);

}  // namespace canopy
