/* Process helpers for the `course` tool's supervised children (see CNeuralSupport.h). */
#if defined(__linux__)
#define _GNU_SOURCE
#endif
#include "CNeuralSupport.h"

#if defined(__linux__)
#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* mount_setattr(2) (Linux 5.12), called through syscall(2): its number is the same on every
 * architecture, and older C libraries have no wrapper. */
struct cns_mount_attr { uint64_t attr_set, attr_clr, propagation, userns_fd; };
static int cns_mount_setattr(const char *path, unsigned int flags, uint64_t set, uint64_t clear) {
    struct cns_mount_attr attr = { set, clear, 0, 0 };
    return (int)syscall(442, AT_FDCWD, path, flags, &attr, sizeof attr);
}
#define CNS_AT_RECURSIVE 0x8000
#define CNS_MOUNT_ATTR_RDONLY 0x1

int cns_set_parent_death_signal(int signal_number) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal_number, 0UL, 0UL, 0UL);
}

int cns_enter_namespaces(int isolate_network) {
    int flags = CLONE_NEWNS | (isolate_network ? CLONE_NEWNET : 0);
    if (unshare(flags) != 0) return -1;
    return mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
}

int cns_hide_folder(const char *path) {
    return mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0555");
}

int cns_read_only_except(const char *writable) {
    if (cns_mount_setattr("/", CNS_AT_RECURSIVE, CNS_MOUNT_ATTR_RDONLY, 0) != 0) return -1;
    if (writable == NULL) return 0;
    if (mount(writable, writable, NULL, MS_BIND, NULL) != 0) return -1;
    return cns_mount_setattr(writable, 0, 0, CNS_MOUNT_ATTR_RDONLY);
}

int cns_limit_sandbox(unsigned long long max_processes, unsigned long long max_file_bytes) {
    struct rlimit limit;
    if (max_processes > 0) {
        limit.rlim_cur = limit.rlim_max = (rlim_t)max_processes;
        if (setrlimit(RLIMIT_NPROC, &limit) != 0) return -1;
    }
    if (max_file_bytes > 0) {
        limit.rlim_cur = limit.rlim_max = (rlim_t)max_file_bytes;
        if (setrlimit(RLIMIT_FSIZE, &limit) != 0) return -1;
    }
    limit.rlim_cur = limit.rlim_max = 0;
    if (setrlimit(RLIMIT_CORE, &limit) != 0) return -1;
    return prctl(PR_SET_NO_NEW_PRIVS, 1UL, 0UL, 0UL, 0UL);
}

int cns_become_user(unsigned int user, unsigned int group) {
    if (setgroups(0, NULL) != 0 || setgid(group) != 0 || setuid(user) != 0) return -1;
    return (getuid() == user && geteuid() == user && getgid() == group) ? 0 : -1;
}
#else
int cns_set_parent_death_signal(int signal_number) {
    (void)signal_number;
    return -1;
}
int cns_enter_namespaces(int isolate_network) { (void)isolate_network; return -1; }
int cns_hide_folder(const char *path) { (void)path; return -1; }
int cns_read_only_except(const char *writable) { (void)writable; return -1; }
int cns_limit_sandbox(unsigned long long max_processes, unsigned long long max_file_bytes) {
    (void)max_processes; (void)max_file_bytes; return -1;
}
int cns_become_user(unsigned int user, unsigned int group) { (void)user; (void)group; return -1; }
#endif
