// The benchmark's own wasm module (npm run bench), never shipped: the reader alone on UTF-8 already in
// wasm memory, and the load stages one by one, each timed inside wasm so that neither the copy in nor
// any JS conversion is counted. Built from the same sources and flags as the shipped module.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <cstring>
#include <string>

#include "detect/dialect.h"
#include "detect/encoding.h"
#include "parse/reader.h"

using emscripten::val;
using namespace canopy;

namespace {

std::string& bench_buffer() {
  static std::string buf;
  return buf;
}

val bench_input(double size) {
  bench_buffer().assign(static_cast<size_t>(size), '\0');
  return val(emscripten::typed_memory_view(bench_buffer().size(), reinterpret_cast<uint8_t*>(bench_buffer().data())));
}

val bench_parse(std::string delimiter, unsigned iterations) {
  val times = val::array();
  ReadOptions o;
  o.delimiter = delimiter.empty() ? ',' : delimiter[0];
  size_t records = 0;
  for (unsigned i = 0; i < iterations; ++i) {
    std::string copy = bench_buffer();
    const double t0 = emscripten_get_now();
    Table t = read_csv(std::move(copy), o);
    const double t1 = emscripten_get_now();
    records = t.records.size();
    times.set(i, t1 - t0);
  }
  val r = val::object();
  r.set("times", times);
  r.set("records", static_cast<double>(records));
  return r;
}

// Where the time of a load goes, stage by stage (benchmark only).
val bench_stages() {
  const std::string& in = bench_buffer();
  val o = val::object();
  double t0 = emscripten_get_now();
  std::string copy = in;
  double t1 = emscripten_get_now();
  o.set("copy", t1 - t0);
  t0 = emscripten_get_now();
  volatile size_t bad = find_invalid_utf8(copy.data(), copy.size());
  t1 = emscripten_get_now();
  o.set("utf8", t1 - t0);
  t0 = emscripten_get_now();
  volatile const void* nul = std::memchr(copy.data(), 0, copy.size());
  t1 = emscripten_get_now();
  o.set("nul", t1 - t0);
  t0 = emscripten_get_now();
  Dialect d = detect_dialect(copy);
  t1 = emscripten_get_now();
  o.set("dialect", t1 - t0);
  (void)bad;
  (void)nul;
  (void)d;
  return o;
}

}  // namespace

EMSCRIPTEN_BINDINGS(canopy_bench) {
  emscripten::function("benchInput", &bench_input);
  emscripten::function("benchParse", &bench_parse);
  emscripten::function("benchStages", &bench_stages);
}
