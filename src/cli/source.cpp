#include "cli/source.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/container.h"
#include "core/messages.h"
#include "detect/decoder.h"
#include "detect/dialect.h"
#include "detect/encoding.h"
#include "detect/encodings.h"
#include "detectors/votes.h"
#include "parse/layout.h"

namespace canopy::cli {
namespace {

constexpr size_t kHeadBytes = kDetectionWindow;  // the wizard's view of a file (10 MiB): detection decides on it
constexpr size_t kReadBytes = 1 << 20;           // later reads

Error unreadable(const std::string& path, int err) {
  return Error{"file_unreadable",
               "Cannot read " + path + ": " + std::strerror(err) + ". Check the path and that you may read the file."};
}

// An unsure detection's readings, as the wizard shows them.
void note_choices(const DecodeResult& d, SourceInfo& info) {
  info.encoding_unsure = d.unsure;
  if (d.unsure) info.encoding_choices = encoding_choices(d.candidates);
}

// How much of the start of a big file holds whole characters (at most `max` bytes): up to its last line
// break, or, for one long line, without a UTF-8 sequence cut off at the end.
size_t whole_characters(std::string_view head, size_t max) {
  head = head.substr(0, std::min(head.size(), max));
  const auto* u = reinterpret_cast<const unsigned char*>(head.data());
  const size_t n = head.size();
  const bool utf16 = (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) ||
                     std::memchr(head.data(), 0, n) != nullptr;
  const size_t lf = head.rfind('\n');
  if (lf != std::string::npos && lf > 0) {
    size_t cut = lf + 1;
    if (utf16 && (cut & 1) && cut < n) ++cut;  // LF of UTF-16LE is 0A 00
    return cut;
  }
  if (utf16) return n & ~size_t{1};
  size_t end = n;
  size_t back = 0;
  while (end > 0 && back < 3 && (u[end - 1] & 0xC0) == 0x80) {
    --end;
    ++back;
  }
  if (end > 0 && u[end - 1] >= 0xC0) --end;
  else end = n;
  return end;
}

// The encoding of a file bigger than its first read, decided as the wizard decides on that much (10 MiB)
// and without copying it: a BOM or NUL bytes by the file's start, valid UTF-8 as UTF-8, anything else
// by the bounded legacy sample (detect/detection.h).
Result<DecodeResult> decide_on_head(std::string_view head) {
  const auto* u = reinterpret_cast<const unsigned char*>(head.data());
  const bool bom = (head.size() >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) ||
                   (head.size() >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)));
  if (bom || std::memchr(head.data(), 0, head.size())) {
    return decode_to_utf8(std::string(head.substr(0, whole_characters(head, 1u << 20))), {}, nullptr, &detector_votes);
  }
  const std::string_view whole = head.substr(0, whole_characters(head, head.size()));
  if (find_invalid_utf8(whole.data(), whole.size()) == std::string::npos &&
      whole.find("\x1b$") == std::string_view::npos) {
    DecodeResult r;
    r.encoding = "UTF-8";
    r.confidence = 100;
    r.method = "utf8";
    return r;
  }
  return decode_to_utf8(detection_sample(whole), {}, nullptr, &detector_votes);
}

}  // namespace

// The next piece of the file through the encoding's decoder (detect/decoder.h: UTF-8 checked, a BOM
// dropped, everything else decoded with its state kept between reads).
Error ChunkReader::decode(const char* raw, size_t n, bool last, std::string& out) {
  const uint64_t start = decoder_->consumed();
  if (decoder_->feed(raw, n, last, out)) {
    if (info_.path == "-") pipe_lines_ += line_at(decoder_->encoding(), {raw, n}, n) - 1;
    return {};
  }
  if (auto t = decoder_->missing_table(); !t.empty()) return make_error("tables_needed", {t});
  const uint64_t at = decoder_->error_offset();
  return undecodable_error(decoder_->encoding(), static_cast<size_t>(at), line_of(at, {raw, n}, start));
}

// The line a byte that does not decode is on, for the message: a regular file is read again up to it
// (only then, so the stream pays nothing for it); a pipe counts the line breaks of each read as it goes.
size_t ChunkReader::line_of(uint64_t offset, std::string_view piece, uint64_t piece_offset) {
  const EncodingId id = decoder_->encoding();
  if (info_.path != "-") {
    if (std::FILE* f = std::fopen(info_.path.c_str(), "rb")) {
      std::string bytes(static_cast<size_t>(offset), '\0');
      bytes.resize(std::fread(bytes.data(), 1, bytes.size(), f));
      std::fclose(f);
      return line_at(id, bytes, bytes.size());
    }
  }
  return pipe_lines_ + line_at(id, piece, static_cast<size_t>(offset - piece_offset));
}

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
  std::string text;  // the decoded head (the whole text when it fits)
  const bool workbook = sniff_container(head) != Container::text;
  if (!workbook && !options.sheet.empty()) {
    return Error{"bad_argument", "--sheet chooses a sheet of a workbook (.xlsx, .ods), and " + path +
                                     " is a text file: leave --sheet out."};
  }
  if (workbook) {
    // A workbook: its cells are read as they are, so there is no encoding or delimiter to choose.
    if (!options.encoding.empty() || !options.delimiter.empty()) {
      return Error{"bad_argument", path +
                                       " is a workbook: its cells are read as they are, so --encoding and "
                                       "--delimiter do not apply. Leave them out (--sheet NAME|N picks the sheet)."};
    }
    std::string all;
    if (path == "-") {  // standard input cannot be read where the ZIP reader asks: read it whole
      all = std::move(head);
      std::string buf(kReadBytes, '\0');
      for (;;) {
        const size_t n = std::fread(buf.data(), 1, buf.size(), r->file_);
        if (n == 0) break;
        all.append(buf.data(), n);
      }
      if (std::ferror(r->file_)) return unreadable(path, errno ? errno : EIO);
      info.file_bytes = all.size();
    }
    auto stream = SheetStream::open(path == "-" ? nullptr : r->file_, std::move(all), options.sheet);
    if (!stream.ok()) return stream.error();
    r->sheet_ = std::move(stream).value();
    const SheetChoice& c = r->sheet_->choice();
    info.format = c.format;
    info.sheet = c.name;
    info.sheets_with_cells = c.sheets_with_cells;
    info.sheet_by_option = c.by_option;
    info.other_sheets = c.others;
    info.encoding = "UTF-8";
    info.encoding_confidence = 100;
    info.encoding_method = "workbook";
    info.delimiter = ',';
    info.delimiter_confidence = 100;
    info.delimiter_method = "workbook";
    r->eof_ = false;
    while (text.size() < kHeadBytes) {
      std::string piece;
      auto more = r->sheet_->next(&piece);
      if (!more.ok()) return more.error();
      if (!more.value()) {
        r->eof_ = true;
        break;
      }
      text += piece;
    }
    r->raw_read_ = r->eof_ ? info.file_bytes : 0;
  } else if (r->eof_) {
    // The whole file fits: decode it exactly as the wizard does.
    auto decoded = decode_to_utf8(std::move(head), options.encoding, nullptr, &detector_votes);
    if (!decoded.ok()) return decoded.error();
    DecodeResult d = std::move(decoded).value();
    info.encoding = d.encoding;
    info.encoding_confidence = d.confidence;
    info.encoding_method = d.method;
    info.had_bom = d.had_bom;
    note_choices(d, info);
    text = std::move(d.text);
    r->checked_ = true;
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
      auto decoded = decide_on_head(head);
      if (!decoded.ok()) return decoded.error();
      info.encoding = decoded.value().encoding;
      info.encoding_confidence = decoded.value().confidence;
      info.encoding_method = decoded.value().method;
      info.had_bom = decoded.value().had_bom;
      note_choices(decoded.value(), info);
    }
    const EncodingInfo* enc = find_encoding(info.encoding);
    if (!enc) return make_error("unknown_encoding", {info.encoding});
    r->decoder_ = std::make_unique<StreamDecoder>(enc->id, true, info.had_bom);
    if (Error e = r->decode(head.data(), head.size(), false, text)) return e;
    std::string().swap(head);  // the text holds it now
  }
  r->text_total_ = text.size();

  if (workbook) {
    // decided above: a sheet is CSV with commas
  } else if (!options.delimiter.empty()) {
    info.delimiter = parse_delimiter(options.delimiter);
    if (!info.delimiter) return make_error("bad_delimiter", {options.delimiter});
    info.delimiter_confidence = 100;
    info.delimiter_method = "override";
  } else if (const char sep = sep_line_delimiter(text)) {
    info.delimiter = sep;  // Excel's "sep=X" first line, as the session reads it
    info.delimiter_confidence = 100;
    info.delimiter_method = "sep_line";
  } else {
    Dialect d = detect_dialect(text);
    info.delimiter = d.delimiter;
    info.delimiter_confidence = d.confidence;
    info.delimiter_method = d.method;
  }
  // The header row, chosen on the start of the file by the session's rule; the first chunk's session
  // is told the same line, every later chunk starts with a copy of that record.
  const HeaderChoice header = find_header(text, info.delimiter, options.header_line);
  if (!header.found) return make_error("bad_header_line", {std::to_string(options.header_line)});
  info.header_line = header.line;
  // The last chunk holds a whole report footer (and more rows than it), so it decides the footer alone.
  r->chunker_ = std::make_unique<Chunker>(ScanRules{info.delimiter, true}, r->options_.chunk_rows,
                                          r->options_.chunk_bytes, header.line, kMaxFooterRecords + 1);
  r->chunker_->append(text);
  if (r->eof_) r->chunker_->finish();
  return r;
}

Error ChunkReader::read_more() {
  if (sheet_) {
    std::string piece;
    auto more = sheet_->next(&piece);
    if (!more.ok()) return more.error();
    if (!more.value()) eof_ = true;
    raw_read_ = static_cast<uint64_t>(sheet_->progress() * static_cast<double>(info_.file_bytes));
    text_total_ += piece.size();
    chunker_->append(piece);
    if (eof_) chunker_->finish();
    return {};
  }
  if (pending_) return pending_;
  std::string buf(kReadBytes, '\0');
  const size_t n = std::fread(buf.data(), 1, buf.size(), file_);
  if (n == 0 && std::ferror(file_)) return unreadable(info_.path, errno ? errno : EIO);
  raw_read_ += n;
  if (n < buf.size()) eof_ = true;  // a short read from fread means end of file (or an error, above)
  std::string text;
  if (Error e = decode(buf.data(), n, eof_, text)) {
    // The text before the bad bytes is still read: the chunks before it come out, then the error.
    pending_ = std::move(e);
    text_total_ += text.size();
    chunker_->append(text);
    return {};  // next() asks for more when the chunker has no whole chunk left: then pending_
  }
  text_total_ += text.size();
  chunker_->append(text);
  if (eof_) chunker_->finish();
  return {};
}

Error ChunkReader::check_text(std::string_view text, uint64_t offset) {
  if (checked_) return {};
  if (const void* z = std::memchr(text.data(), 0, text.size())) {
    const uint64_t at = offset + static_cast<size_t>(static_cast<const char*>(z) - text.data());
    return make_error("binary_file", {std::to_string(at)});
  }
  return {};
}

Result<bool> ChunkReader::next(Chunk* out) {
  TextChunk c;
  for (;;) {
    if (chunker_->next(&c)) break;
    if (chunker_->done()) return false;
    if (Error e = read_more()) return e;
  }
  // The chunk's own text (after the header copy) is checked before anyone reads it.
  const size_t body = static_cast<size_t>(c.end_offset - c.body_offset);
  if (Error e = check_text(std::string_view(c.text).substr(c.text.size() - body), c.body_offset)) return e;
  out->index = c.index;
  out->text = std::move(c.text);
  out->first_line = c.first_line;
  out->last = chunker_->done();
  if (sheet_) {
    out->raw_consumed = out->last ? info_.file_bytes : raw_read_;
  } else if (!decoder_ || decoder_->encoding() == EncodingId::utf8) {
    out->raw_consumed = std::min<uint64_t>(raw_read_, c.end_offset + (info_.had_bom ? 3 : 0));
  } else {
    out->raw_consumed = text_total_
                            ? static_cast<uint64_t>(static_cast<double>(raw_read_) * static_cast<double>(c.end_offset) /
                                                    static_cast<double>(text_total_))
                            : raw_read_;
  }
  return true;
}

uint32_t ChunkReader::trailing_comment_lines() const { return chunker_->trailing_comment_lines(); }
uint32_t ChunkReader::trailing_blank_lines() const { return chunker_->trailing_blank_lines(); }

}  // namespace canopy::cli
