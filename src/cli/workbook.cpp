#include "cli/workbook.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "core/messages.h"

namespace canopy::cli {
namespace {

class FileSource final : public workbook::ByteSource {
 public:
  FileSource(int fd, uint64_t size) : fd_(fd), size_(size) {}
  uint64_t size() const override { return size_; }
  bool read(uint64_t offset, size_t n, char* out) override {
    if (offset > size_ || n > size_ - offset) return false;
    size_t got = 0;
    while (got < n) {
      const ssize_t r = ::pread(fd_, out + got, n - got, static_cast<off_t>(offset + got));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;
      got += static_cast<size_t>(r);
    }
    return true;
  }

 private:
  int fd_;
  uint64_t size_;
};

// The CLI has no 10 MiB limit: a workbook may unpack to far more than the wizard's, but never by a
// ratio no spreadsheet has (ZipLimits::max_ratio still holds).
workbook::WorkbookLimits cli_limits() {
  workbook::WorkbookLimits l;
  l.zip.max_entries = 100000;
  l.zip.max_entry_bytes = 64ull << 30;
  l.zip.max_total_bytes = 256ull << 30;
  l.max_strings_bytes = 4ull << 30;
  l.max_repeated_cells = 20000000000ull;
  return l;
}

}  // namespace

Result<std::unique_ptr<SheetStream>> SheetStream::open(std::FILE* file, std::string bytes, const std::string& sheet) {
  std::unique_ptr<SheetStream> s(new SheetStream());
  if (file) {
    struct stat st {};
    if (fstat(fileno(file), &st) != 0) return Error{"file_unreadable", "Cannot read the workbook's size."};
    s->source_ = std::make_unique<FileSource>(fileno(file), static_cast<uint64_t>(st.st_size));
  } else {
    s->source_ = std::make_unique<workbook::MemorySource>(std::move(bytes));
  }
  auto book = workbook::Workbook::open(*s->source_, cli_limits());
  if (!book.ok()) return book.error();
  s->book_ = std::move(book).value();
  const auto& sheets = s->book_->sheets();
  SheetChoice& c = s->choice_;
  c.format = workbook::format_name(s->book_->format());
  c.sheets = sheets.size();
  // Every sheet is measured (a pass each): the rule needs to know which hold cells.
  std::vector<workbook::SheetShape> shapes;
  for (size_t i = 0; i < sheets.size(); ++i) {
    auto shape = s->book_->shape(i, 0);
    if (!shape.ok()) return shape.error();
    shapes.push_back(std::move(shape).value());
    if (shapes.back().rows) ++c.sheets_with_cells;
  }
  if (!sheet.empty()) {
    auto found = s->book_->find_sheet(sheet);
    if (!found.ok()) return found.error();
    c.index = found.value();
    c.by_option = true;
  } else {
    const int d = workbook::default_sheet(sheets, shapes);
    if (d == -2) return make_error("workbook_empty");
    c.index = static_cast<size_t>(d >= 0 ? d : workbook::first_sheet_with_cells(sheets, shapes));
  }
  c.name = sheets[c.index].name;
  for (size_t i = 0; i < sheets.size(); ++i) {
    if (i != c.index && shapes[i].rows) c.others += (c.others.empty() ? "\"" : ", \"") + sheets[i].name + "\"";
  }
  s->shape_ = shapes[c.index];
  if (s->shape_.rows == 0) return make_error("sheet_empty", {c.name});
  s->thread_ = std::thread([p = s.get()] { p->run(); });
  return s;
}

void SheetStream::run() {
  Error e = book_->write_csv(choice_.index, shape_, [this](std::string_view piece) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return queue_.size() < 2 || cancel_; });
    if (cancel_) return Error{"cancelled", "cancelled"};
    queue_.emplace_back(piece);
    bytes_out_ += piece.size();
    cv_.notify_all();
    return Error{};
  });
  std::lock_guard<std::mutex> lock(mu_);
  done_ = true;
  error_ = std::move(e);
  cv_.notify_all();
}

Result<bool> SheetStream::next(std::string* out) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return !queue_.empty() || done_; });
  if (!queue_.empty()) {
    *out = std::move(queue_.front());
    queue_.pop_front();
    cv_.notify_all();
    return true;
  }
  if (error_) return error_;
  return false;
}

double SheetStream::progress() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (done_) return 1.0;
  // The rows are not counted as they are written; the CSV's bytes against a first row's width are a
  // fair guess, capped below 1.
  const double expected = static_cast<double>(shape_.last_row) * (static_cast<double>(shape_.columns) * 8.0 + 1.0);
  return expected > 0 ? std::min(0.99, static_cast<double>(bytes_out_) / expected) : 0.0;
}

SheetStream::~SheetStream() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancel_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace canopy::cli
