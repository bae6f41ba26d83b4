/* Who holds the large malloc blocks of a process: an LD_PRELOAD interposer.

   Build (gcc only; no other dependency):

       gcc -O2 -g -shared -fPIC -o /tmp/libbigalloc.so bench/perf/bigalloc/bigalloc.c -ldl -lpthread

   Run a process under it:

       LD_PRELOAD=/tmp/libbigalloc.so BIGALLOC_MIN=1048576 python ...

   Every block of at least BIGALLOC_MIN bytes (default 1 MiB) that malloc, calloc, realloc,
   posix_memalign, aligned_alloc, memalign, valloc or pvalloc hands out is recorded with a
   backtrace() of up to 12 frames; free and realloc forget it. Smaller blocks are not looked at
   (free of a small block costs one malloc_usable_size). From the traced process (ctypes):

       lib = ctypes.CDLL("/tmp/libbigalloc.so")       # the already loaded copy
       lib.bigalloc_mark()                            # a new generation: blocks remember theirs
       lib.bigalloc_dump(b"/tmp/live.txt", b"label")  # append every live block, with its frames

   A dump is text: a "dump LABEL generation G blocks N bytes B" line, then per block
   "block ADDRESS SIZE GENERATION FUNCTION" and its frames as backtrace_symbols_fd writes them
   ("/path/lib.so(+0x1234) [0x7f...]"); `bigalloc_report.py` resolves them with nm and groups them.
*/
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FRAMES 12
#define OWN_FRAMES 2 /* remember() and the hooked function */
#define SLOTS (1 << 16) /* open addressing; the live large blocks of a job are far fewer */

typedef struct {
    uintptr_t ptr; /* 0: empty, 1: deleted */
    size_t size;
    unsigned generation;
    int frames;
    const char *function;
    void *frame[FRAMES];
} Block;

static void *(*real_malloc)(size_t);
static void (*real_free)(void *);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static void *(*real_memalign)(size_t, size_t);
static void *(*real_valloc)(size_t);
static void *(*real_pvalloc)(size_t);

static Block *table;
static size_t minimum = 1 << 20;
static unsigned generation;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static __thread int inside; /* this thread is in the hook: its own allocations are not traced */
static int ready;

/* dlsym may allocate before real_calloc is known: serve it from here (never freed). */
static char bootstrap[1 << 16];
static size_t bootstrap_used;

static int from_bootstrap(void *p) {
    return (char *)p >= bootstrap && (char *)p < bootstrap + sizeof bootstrap;
}

static void *bootstrap_alloc(size_t size) {
    size_t at = (bootstrap_used + 15) & ~(size_t)15;
    if (at + size > sizeof bootstrap) return NULL;
    bootstrap_used = at + size;
    return bootstrap + at;
}

static void init(void) {
    static int started;
    if (started) return;
    started = 1;
    inside = 1;
    real_malloc = dlsym(RTLD_NEXT, "malloc");
    real_free = dlsym(RTLD_NEXT, "free");
    real_calloc = dlsym(RTLD_NEXT, "calloc");
    real_realloc = dlsym(RTLD_NEXT, "realloc");
    real_posix_memalign = dlsym(RTLD_NEXT, "posix_memalign");
    real_aligned_alloc = dlsym(RTLD_NEXT, "aligned_alloc");
    real_memalign = dlsym(RTLD_NEXT, "memalign");
    real_valloc = dlsym(RTLD_NEXT, "valloc");
    real_pvalloc = dlsym(RTLD_NEXT, "pvalloc");
    const char *min = getenv("BIGALLOC_MIN");
    if (min && *min) minimum = strtoull(min, NULL, 10);
    table = mmap(NULL, SLOTS * sizeof(Block), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (table == MAP_FAILED) table = NULL;
    void *warm[2];
    backtrace(warm, 2); /* loads libgcc_s now, not inside the first traced call */
    inside = 0;
    ready = 1;
}

__attribute__((constructor)) static void constructor(void) { init(); }

static size_t slot_of(uintptr_t p) { return (size_t)((p >> 4) * 0x9E3779B97F4A7C15ull) & (SLOTS - 1); }

static void remember(void *p, size_t size, const char *function) {
    if (!p || size < minimum || !table || inside || !ready) return;
    inside = 1;
    Block b = {.ptr = (uintptr_t)p, .size = size, .function = function};
    void *frame[FRAMES + OWN_FRAMES];
    int frames = backtrace(frame, FRAMES + OWN_FRAMES);
    b.frames = frames > OWN_FRAMES ? frames - OWN_FRAMES : 0;
    memcpy(b.frame, frame + OWN_FRAMES, (size_t)b.frames * sizeof(void *));
    pthread_mutex_lock(&lock);
    b.generation = generation;
    for (size_t i = slot_of(b.ptr), n = 0; n < SLOTS; i = (i + 1) & (SLOTS - 1), n++) {
        if (table[i].ptr <= 1) {
            table[i] = b;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
    inside = 0;
}

static void forget(void *p) {
    if (!p || !table || !ready || from_bootstrap(p)) return;
    if (malloc_usable_size(p) < minimum) return; /* never recorded: not looked up */
    pthread_mutex_lock(&lock);
    for (size_t i = slot_of((uintptr_t)p), n = 0; n < SLOTS; i = (i + 1) & (SLOTS - 1), n++) {
        if (table[i].ptr == (uintptr_t)p) {
            table[i].ptr = 1;
            break;
        }
        if (table[i].ptr == 0) break;
    }
    pthread_mutex_unlock(&lock);
}

void *malloc(size_t size) {
    if (!real_malloc) {
        if (!ready) init();
        if (!real_malloc) return bootstrap_alloc(size);
    }
    void *p = real_malloc(size);
    remember(p, size, "malloc");
    return p;
}

void free(void *p) {
    if (!p || from_bootstrap(p)) return;
    forget(p);
    real_free(p);
}

void *calloc(size_t n, size_t size) {
    if (!real_calloc) {
        void *p = bootstrap_alloc(n * size); /* static storage: already zero */
        return p;
    }
    void *p = real_calloc(n, size);
    remember(p, n * size, "calloc");
    return p;
}

void *realloc(void *old, size_t size) {
    if (from_bootstrap(old)) {
        void *p = malloc(size);
        if (p) memcpy(p, old, size); /* may read past the old block: inside bootstrap, harmless */
        return p;
    }
    if (!real_realloc) init();
    forget(old);
    void *p = real_realloc(old, size);
    if (!p && size) {
        remember(old, malloc_usable_size(old), "realloc"); /* failed: the old block lives on */
        return p;
    }
    remember(p, size, "realloc");
    return p;
}

int posix_memalign(void **out, size_t alignment, size_t size) {
    if (!real_posix_memalign) init();
    int rc = real_posix_memalign(out, alignment, size);
    if (rc == 0) remember(*out, size, "posix_memalign");
    return rc;
}

void *aligned_alloc(size_t alignment, size_t size) {
    if (!real_aligned_alloc) init();
    void *p = real_aligned_alloc(alignment, size);
    remember(p, size, "aligned_alloc");
    return p;
}

void *memalign(size_t alignment, size_t size) {
    if (!real_memalign) init();
    void *p = real_memalign(alignment, size);
    remember(p, size, "memalign");
    return p;
}

void *valloc(size_t size) {
    if (!real_valloc) init();
    void *p = real_valloc(size);
    remember(p, size, "valloc");
    return p;
}

void *pvalloc(size_t size) {
    if (!real_pvalloc) init();
    void *p = real_pvalloc(size);
    remember(p, size, "pvalloc");
    return p;
}

unsigned bigalloc_mark(void) {
    pthread_mutex_lock(&lock);
    unsigned g = ++generation;
    pthread_mutex_unlock(&lock);
    return g;
}

/* Append the live recorded blocks to `path`; returns their total bytes (or -1). */
long long bigalloc_dump(const char *path, const char *label) {
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0 || !table) return -1;
    inside = 1;
    pthread_mutex_lock(&lock);
    long long bytes = 0, blocks = 0;
    for (size_t i = 0; i < SLOTS; i++)
        if (table[i].ptr > 1) bytes += (long long)table[i].size, blocks++;
    dprintf(fd, "dump %s generation %u blocks %lld bytes %lld\n", label, generation, blocks, bytes);
    for (size_t i = 0; i < SLOTS; i++) {
        Block *b = &table[i];
        if (b->ptr <= 1) continue;
        dprintf(fd, "block 0x%lx %zu %u %s\n", (unsigned long)b->ptr, b->size, b->generation, b->function);
        backtrace_symbols_fd(b->frame, b->frames, fd);
    }
    pthread_mutex_unlock(&lock);
    inside = 0;
    close(fd);
    return bytes;
}
