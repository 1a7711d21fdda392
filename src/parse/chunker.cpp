#include "parse/chunker.h"

#include "parse/reader.h"

namespace canopy {

Chunker::Chunker(ScanRules rules, size_t chunk_rows, size_t chunk_bytes, uint32_t header_line, size_t keep_last)
    : rules_(rules),
      scanner_(rules),
      chunk_rows_(chunk_rows ? chunk_rows : 10000),
      chunk_bytes_(chunk_bytes ? chunk_bytes : 8 << 20),
      header_line_(header_line),
      keep_last_(keep_last) {}

void Chunker::append(std::string_view text) { pending_.append(text); }

void Chunker::finish() { finished_ = true; }

bool Chunker::next(TextChunk* out) {
  if (done_) return false;
  ScannedRecord rec;
  while (scanner_.next(pending_.data(), pending_.size(), finished_, &rec)) {
    if (rec.kind == LineKind::comment) {
      ++comments_;
      continue;
    }
    if (!header_seen_ && rec.kind != LineKind::blank && rec.line < header_line_) continue;  // above the header
    if (rec.kind == LineKind::blank || (rec.kind == LineKind::empty_record && header_seen_)) {
      ++blanks_;  // the reader skips an empty record like a blank line
      continue;
    }
    comments_ = blanks_ = 0;
    if (!header_seen_) {
      header_seen_ = true;
      header_.assign(pending_, rec.begin, rec.end - rec.begin);
      header_lines_ = rec.line_breaks;
      // A header ended by a lone CR would make a CRLF with a body that starts with an LF (a blank
      // line): the copy ends with an LF instead, the same one line break.
      if (!header_.empty() && header_.back() == '\r') header_.back() = '\n';
      // An unterminated header depends on what follows it (a quote further on may close it): the copy
      // is its cells written out quoted, which read the same whatever follows.
      if (rec.unterminated) requote_header();
      continue;
    }
    ends_.push_back(End{rec.end, rec.line + rec.line_breaks});
    if (eligible_ == SIZE_MAX && (ends_.size() >= chunk_rows_ || rec.end >= chunk_bytes_)) eligible_ = ends_.size() - 1;
    if (eligible_ != SIZE_MAX && ends_.size() >= eligible_ + 1 + keep_last_) {
      cut(ends_[eligible_].at, out);
      return true;
    }
  }
  if (!finished_) return false;
  done_ = true;
  // The rest: the whole text when nothing was cut yet (even without data records: the session then
  // says what is missing); otherwise the records since the last cut, if any.
  if (chunks_ > 0 && ends_.empty()) return false;
  comments_ = blanks_ = 0;
  cut(pending_.size(), out);
  return true;
}

void Chunker::requote_header() {
  ReadOptions o;
  o.delimiter = rules_.delimiter;
  o.comments = false;
  const Table t = read_csv(header_, o);
  std::string copy;
  if (!t.records.empty()) {
    for (uint32_t i = 0; i < t.records[0].cell_count; ++i) {
      if (i) copy.push_back(rules_.delimiter);
      copy.push_back('"');
      for (char c : t.cell(0, i)) {
        if (c == '"') copy.push_back('"');
        copy.push_back(c);
      }
      copy.push_back('"');
    }
  }
  copy.push_back('\n');
  header_ = std::move(copy);
  header_lines_ = 1;
}

void Chunker::cut(size_t at, TextChunk* out) {
  out->index = chunks_;
  if (chunks_ == 0) {
    out->text.assign(pending_, 0, at);
    out->first_line = pending_line_;
  } else {
    out->text.clear();
    out->text.reserve(header_.size() + at);
    out->text.append(header_);
    out->text.append(pending_, 0, at);
    out->first_line = pending_line_ - header_lines_;
  }
  out->body_offset = base_;
  out->end_offset = base_ + at;
  pending_.erase(0, at);
  scanner_.shift(at);
  base_ += at;
  // The line at the cut: the scanner may be further on (the records read past it, keep_last).
  pending_line_ = scanner_.line();
  size_t done = 0;
  while (done < ends_.size() && ends_[done].at <= at) ++done;
  if (done && done < ends_.size()) pending_line_ = ends_[done - 1].line;
  // The records read past the cut belong to the next chunk.
  ends_.erase(ends_.begin(), ends_.begin() + static_cast<std::ptrdiff_t>(done));
  for (End& e : ends_) e.at -= at;
  eligible_ = SIZE_MAX;
  for (size_t i = 0; i < ends_.size(); ++i) {
    if (i + 1 >= chunk_rows_ || ends_[i].at >= chunk_bytes_) {
      eligible_ = i;
      break;
    }
  }
  ++chunks_;
}

}  // namespace canopy
