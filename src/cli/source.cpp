#include "cli/source.h"

#include <sys/stat.h>
#include <unicode/ucnv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/messages.h"
#include "detect/dialect.h"
#include "detect/encoding.h"

namespace canopy::cli {
namespace {

constexpr size_t kHeadBytes = 4 << 20;  // the wizard's view of a file: detection runs on this much
constexpr size_t kReadBytes = 1 << 20;  // later reads
// A quote that never closes would make one "record" of the rest of the file; past this much text
// without a record boundary the chunk is cut at a line break instead (the reader then reports the
// unterminated quote, as it would for the whole file).
constexpr size_t kMaxRecordBytes = 64 << 20;

Error unreadable(const std::string& path, int err) {
  return Error{"file_unreadable",
               "Cannot read " + path + ": " + std::strerror(err) + ". Check the path and that you may read the file."};
}

// The start of a big file, cut where detection sees whole characters.
std::string detection_sample(const std::string& head) {
  const auto* u = reinterpret_cast<const unsigned char*>(head.data());
  const size_t n = head.size();
  const bool utf16 = (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) ||
                     std::memchr(head.data(), 0, n) != nullptr;
  const size_t lf = head.rfind('\n');
  if (lf != std::string::npos && lf > 0) {
    size_t cut = lf + 1;
    if (utf16 && (cut & 1) && cut < n) ++cut;  // LF of UTF-16LE is 0A 00
    return head.substr(0, cut);
  }
  if (utf16) return head.substr(0, n & ~size_t{1});
  // One long line: drop an incomplete UTF-8 sequence at the end.
  size_t end = n;
  size_t back = 0;
  while (end > 0 && back < 3 && (u[end - 1] & 0xC0) == 0x80) {
    --end;
    ++back;
  }
  if (end > 0 && u[end - 1] >= 0xC0) --end;
  else end = n;
  return head.substr(0, end);
}

}  // namespace

// Bytes in, UTF-8 out. UTF-8 input passes through (checked later, per chunk, where characters are
// whole); anything else goes through an ICU converter pair that keeps its state between reads.
struct ChunkReader::Decoder {
  bool utf8 = true;
  size_t skip = 0;  // BOM bytes still to drop
  std::string name;
  UConverter* src = nullptr;
  UConverter* dst = nullptr;
  UChar pivot[4096];
  UChar* pivot_source = pivot;
  UChar* pivot_target = pivot;
  bool reset = true;

  ~Decoder() {
    if (src) ucnv_close(src);
    if (dst) ucnv_close(dst);
  }

  Error init(const std::string& encoding) {
    name = encoding;
    utf8 = encoding == "UTF-8";
    if (utf8) return {};
    UErrorCode status = U_ZERO_ERROR;
    src = ucnv_open(encoding.c_str(), &status);
    if (U_FAILURE(status)) return make_error("unknown_encoding", {encoding});
    status = U_ZERO_ERROR;
    dst = ucnv_open("UTF-8", &status);
    if (U_FAILURE(status)) return make_error("unknown_encoding", {"UTF-8"});
    ucnv_setToUCallBack(src, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    return {};
  }

  // Appends the text of raw[0, n) to `out`; `last` flushes. `offset` is raw[0]'s offset in the file.
  Error feed(const char* raw, size_t n, bool last, uint64_t offset, std::string& out) {
    if (skip) {
      const size_t k = std::min(skip, n);
      raw += k;
      n -= k;
      offset += k;
      skip -= k;
    }
    if (utf8) {
      out.append(raw, n);
      return {};
    }
    const char* source = raw;
    const char* limit = raw + n;
    for (;;) {
      const size_t used = out.size();
      out.resize(used + (static_cast<size_t>(limit - source) * 3) / 2 + 256);
      char* target = out.data() + used;
      UErrorCode status = U_ZERO_ERROR;
      ucnv_convertEx(dst, src, &target, out.data() + out.size(), &source, limit, pivot, &pivot_source, &pivot_target,
                     pivot + 4096, reset, last, &status);
      reset = false;
      out.resize(static_cast<size_t>(target - out.data()));
      if (status == U_BUFFER_OVERFLOW_ERROR) continue;
      if (U_FAILURE(status)) {
        const uint64_t at = offset + static_cast<uint64_t>(source - raw);
        return make_error("undecodable", {name, std::to_string(at > 0 ? at - 1 : 0)});
      }
      return {};
    }
  }
};

ChunkReader::~ChunkReader() {
  if (file_ && owns_file_) std::fclose(file_);
}

Result<std::unique_ptr<ChunkReader>> ChunkReader::open(const std::string& path, const SourceOptions& options) {
  std::unique_ptr<ChunkReader> r(new ChunkReader());
  r->options_ = options;
  if (r->options_.chunk_rows == 0) r->options_.chunk_rows = 10000;
  if (r->options_.chunk_bytes == 0) r->options_.chunk_bytes = 8 << 20;
  r->info_.path = path;
  if (path == "-") {
    r->file_ = stdin;
  } else {
    r->file_ = std::fopen(path.c_str(), "rb");
    if (!r->file_) return unreadable(path, errno);
    r->owns_file_ = true;
    struct stat st {};
    if (fstat(fileno(r->file_), &st) == 0) {
      if (S_ISDIR(st.st_mode)) return unreadable(path, EISDIR);
      if (S_ISREG(st.st_mode)) r->info_.file_bytes = static_cast<uint64_t>(st.st_size);
    }
  }

  // The head: up to 4 MiB.
  std::string head(kHeadBytes, '\0');
  size_t got = 0;
  while (got < head.size()) {
    const size_t n = std::fread(head.data() + got, 1, head.size() - got, r->file_);
    if (n == 0) break;
    got += n;
  }
  if (std::ferror(r->file_)) return unreadable(path, errno ? errno : EIO);
  head.resize(got);
  r->raw_read_ = got;
  if (got < kHeadBytes) r->eof_ = true;
  if (head.empty()) return make_error("file_empty");

  SourceInfo& info = r->info_;
  if (r->eof_) {
    // The whole file fits: decode it exactly as the wizard does.
    auto decoded = decode_to_utf8(std::move(head), options.encoding);
    if (!decoded.ok()) return decoded.error();
    DecodeResult d = std::move(decoded).value();
    info.encoding = d.encoding;
    info.encoding_confidence = d.confidence;
    info.encoding_method = d.method;
    info.had_bom = d.had_bom;
    r->pending_ = std::move(d.text);
    r->checked_ = r->pending_.size();
    r->text_total_ = r->pending_.size();
  } else {
    const auto* u = reinterpret_cast<const unsigned char*>(head.data());
    const bool bom8 = u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF;
    const bool bom_le = u[0] == 0xFF && u[1] == 0xFE;
    const bool bom_be = u[0] == 0xFE && u[1] == 0xFF;
    if (!options.encoding.empty()) {
      info.encoding = canonical_encoding(options.encoding);
      if (info.encoding.empty()) return make_error("unknown_encoding", {options.encoding});
      info.encoding_confidence = 100;
      info.encoding_method = "override";
      info.had_bom = (info.encoding == "UTF-8" && bom8) || (info.encoding == "UTF-16LE" && bom_le) ||
                     (info.encoding == "UTF-16BE" && bom_be);
    } else {
      auto decoded = decode_to_utf8(detection_sample(head));
      if (!decoded.ok()) return decoded.error();
      info.encoding = decoded.value().encoding;
      info.encoding_confidence = decoded.value().confidence;
      info.encoding_method = decoded.value().method;
      info.had_bom = decoded.value().had_bom;
    }
    r->decoder_ = std::make_unique<Decoder>();
    if (Error e = r->decoder_->init(info.encoding)) return e;
    if (info.had_bom) r->decoder_->skip = info.encoding == "UTF-8" ? 3 : 2;
    if (Error e = r->decoder_->feed(head.data(), head.size(), false, 0, r->pending_)) return e;
    r->text_total_ = r->pending_.size();
  }

  if (!options.delimiter.empty()) {
    info.delimiter = parse_delimiter(options.delimiter);
    if (!info.delimiter) return make_error("bad_delimiter", {options.delimiter});
    info.delimiter_confidence = 100;
    info.delimiter_method = "override";
  } else {
    Dialect d = detect_dialect(r->pending_);
    info.delimiter = d.delimiter;
    info.delimiter_confidence = d.confidence;
    info.delimiter_method = d.method;
  }
  return r;
}

Error ChunkReader::read_more() {
  std::string buf(kReadBytes, '\0');
  const size_t n = std::fread(buf.data(), 1, buf.size(), file_);
  if (n == 0 && std::ferror(file_)) return unreadable(info_.path, errno ? errno : EIO);
  const uint64_t offset = raw_read_;
  raw_read_ += n;
  if (n < buf.size()) eof_ = true;  // a short read from fread means end of file (or an error, above)
  const size_t before = pending_.size();
  if (Error e = decoder_->feed(buf.data(), n, eof_, offset, pending_)) return e;
  text_total_ += pending_.size() - before;
  return {};
}

Error ChunkReader::check_text(size_t from, size_t to) {
  if (to <= checked_) return {};
  from = std::max(from, checked_);
  const char* p = pending_.data() + from;
  const size_t n = to - from;
  if (decoder_ && decoder_->utf8) {
    const size_t bad = find_invalid_utf8(p, n);
    if (bad != std::string::npos) {
      const uint64_t at = text_base_ + from + bad + (info_.had_bom ? 3 : 0);
      return make_error("undecodable", {"UTF-8", std::to_string(at)});
    }
  }
  if (const void* z = std::memchr(p, 0, n)) {
    const uint64_t at = text_base_ + from + static_cast<size_t>(static_cast<const char*>(z) - p);
    return make_error("binary_file", {std::to_string(at)});
  }
  checked_ = to;
  return {};
}

// A small state machine with the reader's rules for where records end: a quote opens a quoted cell only
// as a cell's first character, "" inside one is a quote, a # at a record's start begins a comment line,
// CRLF / LF / CR end lines. Returns true at a cut point (scan_ is then just after a record).
bool ChunkReader::scan() {
  const char* d = pending_.data();
  const size_t n = pending_.size();
  const char delim = info_.delimiter;
  size_t i = scan_;
  // At a CR that ends the buffer we cannot tell CR from CRLF until more text arrives.
  auto cr_undecided = [&](size_t at) { return at + 1 >= n && !eof_; };
  auto end_of_line = [&](size_t at) {  // `at` is on CR or LF; returns the index after the line break
    return (d[at] == '\r' && at + 1 < n && d[at + 1] == '\n') ? at + 2 : at + 1;
  };
  auto end_record = [&](size_t at) {
    if (!header_seen_) {
      header_seen_ = true;
      header_.assign(d + header_start_, at - header_start_);
      header_lines_ = line_ - record_start_line_;
    } else {
      ++records_;
    }
    comments_ = blanks_ = 0;
    boundary_ = at;
    state_ = State::record_start;
    return records_ >= options_.chunk_rows || (records_ > 0 && at >= options_.chunk_bytes);
  };

  while (i < n) {
    switch (state_) {
      case State::record_start: {
        const char c = d[i];
        if (c == '\n' || c == '\r') {
          if (c == '\r' && cr_undecided(i)) goto stop;
          i = end_of_line(i);
          ++line_;
          ++blanks_;
          continue;
        }
        if (c == '#') {
          state_ = State::comment;
          continue;
        }
        if (!header_seen_) header_start_ = i;
        record_start_line_ = line_;
        // Most records are one line without quotes: find the line break and check the line for quotes
        // and stray CRs with memchr, instead of walking it byte by byte.
        if (const void* lf = std::memchr(d + i, '\n', n - i)) {
          const size_t e = static_cast<size_t>(static_cast<const char*>(lf) - d);
          const size_t body_end = e > i && d[e - 1] == '\r' ? e - 1 : e;
          if (!std::memchr(d + i, '"', body_end - i) && !std::memchr(d + i, '\r', body_end - i)) {
            i = e + 1;
            ++line_;
            if (end_record(i)) {
              scan_ = i;
              return true;
            }
            continue;
          }
        }
        state_ = State::cell_start;
        continue;
      }
      case State::comment: {
        size_t e = i;
        while (e < n && d[e] != '\n' && d[e] != '\r') ++e;
        if (e >= n || (d[e] == '\r' && cr_undecided(e))) {
          i = e;
          goto stop;
        }
        i = end_of_line(e);
        ++line_;
        ++comments_;
        state_ = State::record_start;
        continue;
      }
      case State::cell_start:
        if (d[i] == '"') {
          state_ = State::quoted;
          ++i;
          continue;
        }
        state_ = State::unquoted;
        continue;
      case State::unquoted: {
        size_t e = i;
        while (e < n) {
          const char c = d[e];
          if (c == delim || c == '\n' || c == '\r') break;
          ++e;
        }
        if (e >= n) {
          i = e;
          goto stop;
        }
        if (d[e] == delim) {
          i = e + 1;
          state_ = State::cell_start;
          continue;
        }
        if (d[e] == '\r' && cr_undecided(e)) {
          i = e;
          goto stop;
        }
        i = end_of_line(e);
        ++line_;
        if (end_record(i)) {
          scan_ = i;
          return true;
        }
        continue;
      }
      case State::quoted: {
        size_t e = i;
        while (e < n && d[e] != '"') {
          if (d[e] == '\n') {
            ++line_;
          } else if (d[e] == '\r') {
            if (cr_undecided(e)) break;
            if (e + 1 >= n || d[e + 1] != '\n') ++line_;
          }
          ++e;
        }
        if (e >= n || d[e] != '"') {  // end of buffer, or an undecided CR
          i = e;
          goto stop;
        }
        if (e + 1 >= n && !eof_) {  // "" or a closing quote? Wait for the next byte.
          i = e;
          goto stop;
        }
        if (e + 1 < n && d[e + 1] == '"') {
          i = e + 2;
          continue;
        }
        i = e + 1;
        state_ = State::unquoted;  // text after a closing quote runs to the delimiter (the reader warns)
        continue;
      }
    }
  }
stop:
  scan_ = i;
  if (eof_ && scan_ >= n && (state_ == State::cell_start || state_ == State::unquoted || state_ == State::quoted)) {
    // The last record has no line break (or an unterminated quote runs to the end).
    end_record(n);
  }
  return false;
}

void ChunkReader::cut(size_t at, uint32_t line_at, Chunk* out) {
  out->index = chunks_;
  if (chunks_ == 0) {
    out->text.assign(pending_, 0, at);
    out->first_line = 1;
  } else {
    out->text.clear();
    out->text.reserve(header_.size() + at);
    out->text = header_;
    out->text.append(pending_, 0, at);
    out->first_line = chunk_line_ - header_lines_;
  }
  pending_.erase(0, at);
  scan_ -= at;
  checked_ = checked_ > at ? checked_ - at : 0;
  boundary_ = boundary_ > at ? boundary_ - at : 0;
  text_base_ += at;
  chunk_line_ = line_at;
  records_ = 0;
  ++chunks_;
  if (!decoder_ || decoder_->utf8) {
    out->raw_consumed = std::min<uint64_t>(raw_read_, text_base_ + (info_.had_bom ? 3 : 0));
  } else {
    out->raw_consumed = text_total_
                            ? static_cast<uint64_t>(static_cast<double>(raw_read_) * static_cast<double>(text_base_) /
                                                    static_cast<double>(text_total_))
                            : raw_read_;
  }
}

Result<bool> ChunkReader::next(Chunk* out) {
  if (done_) return false;
  for (;;) {
    if (scan()) {
      if (Error e = check_text(0, scan_)) return e;
      cut(scan_, line_, out);
      return true;
    }
    if (eof_ && scan_ >= pending_.size()) {
      done_ = true;
      if (chunks_ > 0 && records_ == 0) {
        // Only comments or blank lines after the last cut: nothing to load.
        tail_comments_ = comments_;
        tail_blanks_ = blanks_;
        return false;
      }
      if (chunks_ > 0 && pending_.empty()) return false;
      if (Error e = check_text(0, pending_.size())) return e;
      cut(pending_.size(), line_, out);
      return true;
    }
    if (!eof_ && pending_.size() - boundary_ > kMaxRecordBytes && state_ == State::quoted) {
      // A quote that does not close within 64 MiB: end the record at the line break where it began to
      // run on, and let the reader report it.
      const size_t from = boundary_;
      size_t lf = pending_.find('\n', from);
      if (lf == std::string::npos || lf + 1 >= pending_.size()) lf = pending_.size() - 1;
      uint32_t lines_back = 0;
      for (size_t k = lf + 1; k < scan_; ++k) {
        if (pending_[k] == '\n' || (pending_[k] == '\r' && (k + 1 >= pending_.size() || pending_[k + 1] != '\n'))) {
          ++lines_back;
        }
      }
      line_ -= std::min(line_ - 1, lines_back);
      scan_ = lf + 1;
      state_ = State::record_start;
      if (!header_seen_) {
        header_seen_ = true;
        header_.assign(pending_, header_start_, scan_ - header_start_);
        header_lines_ = 1;
      } else {
        ++records_;
      }
      if (Error e = check_text(0, scan_)) return e;
      cut(scan_, line_, out);
      return true;
    }
    if (eof_) {  // scan() always runs to the end once the input has ended; never loop on it
      scan_ = pending_.size();
      continue;
    }
    if (Error e = read_more()) return e;
  }
}

}  // namespace canopy::cli
