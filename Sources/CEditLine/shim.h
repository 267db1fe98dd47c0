#include <stdio.h>
#include <editline/readline.h>

// Accessors for libedit's global variables: Swift 6 refuses direct use of mutable C globals.
static inline void qun_el_set_completion(rl_completion_func_t *function) {
    rl_readline_name = "qun";
    rl_attempted_completion_function = function;
}
static inline void qun_el_completion_over(void) { rl_attempted_completion_over = 1; }
static inline const char *qun_el_line_buffer(void) { return rl_line_buffer; }
