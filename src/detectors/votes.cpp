#include "detectors/votes.h"

#include <uchardet.h>
#include <unicode/ucsdet.h>

#include <memory>

namespace canopy {
namespace {

void icu_votes(std::string_view sample, DetectorVotes& out) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, void (*)(UCharsetDetector*)> det(ucsdet_open(&status), ucsdet_close);
  if (U_FAILURE(status) || !det) return;
  ucsdet_setText(det.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
  int32_t found = 0;
  const UCharsetMatch** matches = U_SUCCESS(status) ? ucsdet_detectAll(det.get(), &found, &status) : nullptr;
  for (int32_t i = 0, kept = 0; matches && U_SUCCESS(status) && i < found && kept < 3; ++i) {
    UErrorCode s2 = U_ZERO_ERROR;
    const char* name = ucsdet_getName(matches[i], &s2);
    const int32_t conf = ucsdet_getConfidence(matches[i], &s2);
    if (U_FAILURE(s2) || !name) continue;
    out.push_back(DetectorVote{"icu", name, static_cast<int>(conf)});
    ++kept;
  }
}

void uchardet_vote(std::string_view sample, DetectorVotes& out) {
  std::unique_ptr<uchardet, void (*)(uchardet_t)> ud(uchardet_new(), uchardet_delete);
  if (!ud) return;
  if (uchardet_handle_data(ud.get(), sample.data(), sample.size()) != 0) return;
  uchardet_data_end(ud.get());
  const char* name = uchardet_get_charset(ud.get());
  if (name && *name) out.push_back(DetectorVote{"uchardet", name, 100});
}

}  // namespace

DetectorVotes detector_votes(std::string_view sample) {
  DetectorVotes out;
  if (sample.empty()) return out;
  icu_votes(sample, out);
  uchardet_vote(sample, out);
  return out;
}

}  // namespace canopy
