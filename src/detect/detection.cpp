#include "detect/detection.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

#include "core/simd.h"
#include "detect/decoder.h"
#include "detect/encoding_tables.h"
#include "detect/encodings.h"
#include "detect/plausibility.h"

namespace canopy {
namespace {

bool is_break(char c) { return c == '\n' || c == '\r'; }

// First byte >= 0x80 at or after `from`, or npos.
size_t find_high(std::string_view s, size_t from) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  size_t i = from;
  for (; i + 64 <= s.size(); i += 64) {
    const uint64_t m = simd::Block(p + i).high_bits();
    if (m) return i + static_cast<size_t>(simd::ctz64(m));
  }
  for (; i < s.size(); ++i)
    if (p[i] >= 0x80) return i;
  return std::string_view::npos;
}

// --- the multi-byte encodings' structure, read from the bytes alone (no table needed) ---------------

struct Structure {
  size_t chars = 0;      // multi-byte characters
  size_t invalid = 0;    // sequences the decoder rejects
  size_t both_high = 0;  // two-byte characters whose second byte is beyond ASCII too
  size_t common = 0;     // characters in the encoding's frequent rows (kana, level-1 hanzi/kanji, hangul)
  size_t singles = 0;    // single high bytes the encoding allows alone (half-width katakana)
};

bool in(uint8_t b, uint8_t lo, uint8_t hi) { return b >= lo && b <= hi; }

Structure structure(DecoderKind kind, std::string_view s) {
  Structure st;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const size_t n = s.size();
  for (size_t i = 0; i < n;) {
    const uint8_t a = p[i];
    if (a < 0x80) {
      ++i;
      continue;
    }
    const uint8_t b = i + 1 < n ? p[i + 1] : 0;
    bool ok = false;
    size_t len = 2;
    bool common = false;
    switch (kind) {
      case DecoderKind::shift_jis:
        if (in(a, 0xA1, 0xDF)) {
          ++st.singles;
          ++i;
          continue;
        }
        ok = (in(a, 0x81, 0x9F) || in(a, 0xE0, 0xFC)) && (in(b, 0x40, 0x7E) || in(b, 0x80, 0xFC));
        common = in(a, 0x81, 0x83) || in(a, 0x88, 0x98);
        break;
      case DecoderKind::euc_jp:
        if (a == 0x8E) {
          ok = in(b, 0xA1, 0xDF);
          common = true;
        } else if (a == 0x8F) {
          ok = in(b, 0xA1, 0xFE) && i + 2 < n && in(p[i + 2], 0xA1, 0xFE);
          len = 3;
        } else {
          ok = in(a, 0xA1, 0xFE) && in(b, 0xA1, 0xFE);
          common = a == 0xA1 || in(a, 0xA4, 0xA5) || in(a, 0xB0, 0xCF);
        }
        break;
      case DecoderKind::gb18030:
        if (in(a, 0x81, 0xFE) && in(b, 0x30, 0x39)) {
          ok = i + 3 < n && in(p[i + 2], 0x81, 0xFE) && in(p[i + 3], 0x30, 0x39);
          len = 4;
        } else {
          ok = in(a, 0x81, 0xFE) && (in(b, 0x40, 0x7E) || in(b, 0x80, 0xFE));
          common = in(a, 0xA1, 0xA3) || in(a, 0xB0, 0xD7);
        }
        break;
      case DecoderKind::big5:
        ok = in(a, 0x81, 0xFE) && (in(b, 0x40, 0x7E) || in(b, 0xA1, 0xFE));
        common = in(a, 0xA1, 0xA3) || in(a, 0xA4, 0xC6);
        break;
      case DecoderKind::euc_kr:
        ok = in(a, 0x81, 0xFE) && in(b, 0x41, 0xFE);
        common = in(a, 0xA1, 0xA3) || (in(a, 0xB0, 0xC8) && in(b, 0xA1, 0xFE));
        break;
      default: return st;
    }
    if (!ok) {
      ++st.invalid;
      ++i;
      continue;
    }
    ++st.chars;
    st.both_high += b >= 0x80;
    st.common += common;
    i += len;
  }
  return st;
}

// The detectors' names that are not labels of the standard.
const EncodingInfo* vote_encoding(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> extra[] = {
      {"TIS-620", "windows-874"}, {"ISO-8859-11", "windows-874"}, {"MAC-CYRILLIC", "x-mac-cyrillic"}, {"UHC", "EUC-KR"},
      {"CP949", "EUC-KR"},        {"MAC-ROMAN", "macintosh"},
  };
  for (const auto& [from, to] : extra)
    if (name == from) return find_encoding(to);
  return find_encoding(name);
}

// The sample's cells that hold a byte beyond ASCII, the first few distinct ones, as the chooser
// shows them. Cells are split at ASCII delimiters, which no supported multi-byte encoding uses as a
// trail byte.
std::vector<std::string_view> example_cells(std::string_view sample, size_t want) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < sample.size() && out.size() < want) {
    size_t j = i;
    bool high = false;
    while (j < sample.size() && !std::strchr(",;\t\r\n\"|", sample[j])) {
      high |= static_cast<unsigned char>(sample[j]) >= 0x80;
      ++j;
    }
    std::string_view cell = sample.substr(i, j - i);
    while (!cell.empty() && cell.front() == ' ') cell.remove_prefix(1);
    while (!cell.empty() && cell.back() == ' ') cell.remove_suffix(1);
    if (high && cell.size() <= 80 && std::find(out.begin(), out.end(), cell) == out.end()) out.push_back(cell);
    i = j + 1;
  }
  return out;
}

// Two readings of the sample say the same: equal, or equal but for the Romanian letters with a comma
// below (ș ț, ISO-8859-16) where the other has a cedilla (ş ţ, windows-1250), which Romanian writes
// either way.
bool same_reading(const std::string& a, const std::string& b) {
  if (a == b) return true;
  if (a.size() != b.size()) return false;
  // In UTF-8 both forms are two bytes: C8 98/99/9A/9B (comma) and C5 9E/9F/A2/A3 (cedilla).
  const auto fold = [](const std::string& s, size_t i, unsigned char* x, unsigned char* y) {
    const auto c0 = static_cast<unsigned char>(s[i]), c1 = static_cast<unsigned char>(s[i + 1]);
    if (c0 == 0xC8 && c1 >= 0x98 && c1 <= 0x9B) {
      static const unsigned char to[] = {0x9E, 0x9F, 0xA2, 0xA3};
      *x = 0xC5;
      *y = to[c1 - 0x98];
    } else {
      *x = c0;
      *y = c1;
    }
  };
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    if (i + 1 >= a.size()) return false;
    unsigned char a0, a1, b0, b1;
    fold(a, i, &a0, &a1);
    fold(b, i, &b0, &b1);
    if (a0 != b0 || a1 != b1) return false;
    ++i;
  }
  return true;
}

std::string decode_sample(const EncodingInfo& e, std::string_view bytes) {
  auto r = decode_bytes(e.id, bytes, false);
  return r.ok() ? std::move(r).value() : std::string();
}

}  // namespace

std::string detection_sample(std::string_view bytes) {
  bytes = bytes.substr(0, std::min(bytes.size(), kDetectionWindow));
  std::string out;
  size_t pos = 0;
  // The first two lines (the header, the first row), for the detectors' context.
  for (int line = 0; line < 2 && pos < bytes.size(); ++line) {
    size_t end = pos;
    while (end < bytes.size() && !is_break(bytes[end]) && end - pos < 2048) ++end;
    while (end < bytes.size() && is_break(bytes[end])) ++end;
    out.append(bytes.substr(pos, end - pos));
    pos = end;
  }
  while (pos < bytes.size() && out.size() < kSampleBytes) {
    const size_t high = find_high(bytes, pos);
    if (high == std::string_view::npos) break;
    size_t start = high;
    while (start > pos && !is_break(bytes[start - 1])) --start;
    size_t end = high;
    while (end < bytes.size() && !is_break(bytes[end])) ++end;
    while (end < bytes.size() && is_break(bytes[end])) ++end;
    const size_t room = kSampleBytes - out.size();
    out.append(bytes.substr(start, std::min(end - start, room)));
    if (!out.empty() && !is_break(out.back())) out.push_back('\n');
    pos = end;
  }
  return out;
}

EncodingDecision decide_encoding(std::string_view sample, const DetectorVotes& votes) {
  EncodingDecision d;
  // The detectors' votes, as a bonus per reading, in the plausibility's quarter points: together with the
  // prior they weigh less than two clear marks in the words ("C½ur", "JosŽ"), so they decide between
  // readings the words cannot tell apart, never against what the words show. ICU's first match counts
  // most of its three; uchardet's answer most of all, and more for a multi-byte one (it reads those by
  // character frequency).
  std::unordered_map<int, int> bonus;
  bool icu_first = true;
  const EncodingInfo* icu_best = nullptr;
  const EncodingInfo* uchardet_best = nullptr;
  for (const DetectorVote& v : votes) {
    const EncodingInfo* e = vote_encoding(v.charset);
    if (v.detector == "icu") {
      if (e) bonus[static_cast<int>(e->id)] += icu_first ? 2 + v.confidence / 16 : 1;
      if (icu_first) icu_best = e;
      icu_first = false;
    } else if (v.detector == "uchardet" && e) {
      // uchardet reads multi-byte text by character frequency, its strongest suit.
      bonus[static_cast<int>(e->id)] += e->single_byte() ? 6 : 24;
      uchardet_best = e;
    }
  }
  const bool has_escape =
      sample.find("\x1b$B") != std::string_view::npos || sample.find("\x1b$@") != std::string_view::npos;

  struct Reading {
    const EncodingInfo* e;
    std::string text;
    int plausibility;  // 0..100, the words alone (the average mark per word)
    long cost;         // the marks in all, less the votes and the prior: the lowest wins
    std::string language;
  };
  std::vector<Reading> readings;
  for (const EncodingInfo& e : all_encodings()) {
    // UTF-8 stays a reading: a UTF-8 file with a few bad bytes reads best as UTF-8 (the caller then says
    // where it breaks) rather than as mojibake in a code page.
    if (e.decoder == DecoderKind::utf16le || e.decoder == DecoderKind::utf16be) continue;
    if (e.decoder == DecoderKind::iso_2022_jp && !has_escape) continue;
    const int id = static_cast<int>(e.id);
    const bool voted = bonus.count(id) > 0;
    int byte_penalty = 0;
    if (!e.single_byte() && e.decoder != DecoderKind::iso_2022_jp && e.decoder != DecoderKind::utf8) {
      const Structure st = structure(e.decoder, sample);
      // A multi-byte reading must hold together: no invalid sequence, and characters made of high bytes
      // (a Latin file's "é" followed by a letter is a valid pair, but not a high one).
      if (st.invalid > 0 || st.chars == 0) continue;
      // Real names and departments use the frequent rows; another encoding's bytes fall anywhere.
      const size_t rare = st.chars - st.common;
      if (st.both_high * 2 < st.chars && !voted && rare * 5 > st.chars) continue;
      if (rare * 100 > st.chars * 25) byte_penalty = static_cast<int>((rare * 100 / st.chars - 25) / 2);
    }
    if (!table_file_installed(e.table_file)) {
      if (std::find(d.tables_needed.begin(), d.tables_needed.end(), e.table_file) == d.tables_needed.end())
        d.tables_needed.emplace_back(e.table_file);
      continue;
    }
    Reading r{&e, decode_sample(e, sample), 0, 0, {}};
    const Plausibility p = judge_text(r.text);
    r.plausibility = std::max(0, p.score - byte_penalty);
    r.language = std::string(p.language);
    // Letters none of the encoding's own languages writes: a mark each (two quarter points).
    const long abroad = e.home_languages.empty() ? 0 : 2L * letters_outside(r.text, e.home_languages);
    r.cost = p.penalty + abroad + static_cast<long>(byte_penalty) * std::max(1, p.words) / 4 - e.prior -
             (voted ? bonus[id] : 0);
    readings.push_back(std::move(r));
  }
  if (!d.tables_needed.empty()) return d;

  // Readings that decode the sample to the same text are one candidate: the best scored of them.
  std::stable_sort(readings.begin(), readings.end(),
                   [](const Reading& a, const Reading& b) { return a.cost < b.cost; });
  std::vector<Reading*> distinct;
  for (Reading& r : readings) {
    bool dup = false;
    for (Reading* k : distinct) {
      if (same_reading(k->text, r.text)) {
        // The same text (or the same but for ş/ș): one candidate, ranked by its best cost, named as the
        // encoding tools write most often (windows-1253 rather than ISO-8859-7, GBK rather than
        // gb18030), whatever the votes.
        if (r.e->prior > k->e->prior) {
          const long cost = k->cost;
          std::swap(*k, r);
          k->cost = cost;
        }
        dup = true;
        break;
      }
    }
    if (!dup) distinct.push_back(&r);
  }
  if (distinct.empty()) return d;

  const Reading& best = *distinct[0];
  // Unsure when the words look wrong under every reading, or when the next reading that reads the names
  // differently is less than a clear mark behind (two, when the detectors do not both back the best).
  // A detector that names no supported encoding, or one whose reading the words reject, does not
  // disagree: it has nothing to say about this file.
  const auto backs_best = [&](const EncodingInfo* vote) {
    if (!vote || vote == best.e) return true;
    for (const Reading& r : readings)
      if (r.e == vote) return r.plausibility < 60 || same_reading(r.text, best.text);
    return true;
  };
  const bool detectors_agree = (icu_best || uchardet_best) && backs_best(icu_best) && backs_best(uchardet_best);
  const long margin = detectors_agree ? 8 : 16;
  const bool weak = best.plausibility < 60;
  const bool close = distinct.size() > 1 && distinct[1]->cost < best.cost + margin;
  d.unsure = weak || close;

  const std::vector<std::string_view> cells = example_cells(sample, 4);
  const size_t shown = d.unsure ? 3 : 1;
  for (size_t i = 0; i < distinct.size() && d.candidates.size() < shown; ++i) {
    const Reading& r = *distinct[i];
    if (i > 1 && r.cost > best.cost + 8 * margin) break;  // an unsure decision shows two at least
    EncodingCandidate c;
    c.encoding = r.e;
    // Shown as the confidence: the words' plausibility, less the closer the best and the next are (for
    // the best), or the further this one is behind the best (for the others).
    const long gap = i == 0 ? (distinct.size() > 1 ? distinct[1]->cost - r.cost : 64) : 64 - (r.cost - best.cost);
    c.score = static_cast<int>(std::clamp<long>(r.plausibility * std::clamp<long>(gap, 0, 64) / 64, 0, 100));
    c.plausibility = r.plausibility;
    c.language = r.language;
    for (std::string_view cell : cells) c.examples.push_back(decode_sample(*r.e, cell));
    d.candidates.push_back(std::move(c));
  }
  return d;
}

}  // namespace canopy
