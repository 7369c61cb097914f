#define _GNU_SOURCE
#include "CNetlink.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/netlink.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int mptop_netlink_open(int protocol, int rcvbuf) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
    if (fd < 0) return -errno;
    if (rcvbuf > 0) {
        // Best effort: a bigger buffer means fewer recv calls per dump.
        (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    }
    int one = 1;
    // Extended ACKs give readable error text; harmless where unsupported.
    (void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
    struct sockaddr_nl addr;
    memset(&addr, 0, sizeof addr);
    addr.nl_family = AF_NETLINK;
    // Connected to the kernel (port 0): the kernel then refuses unicast to this socket from
    // any other port (the sender gets ECONNREFUSED), so no process can queue fake replies.
    // Multicast is still delivered; mptop_netlink_recv checks its sender.
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0
        || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    return fd;
}

ssize_t mptop_netlink_send_to(int fd, const void *buf, size_t len, unsigned int port, unsigned int groups) {
    struct sockaddr_nl to;
    memset(&to, 0, sizeof to);
    to.nl_family = AF_NETLINK;
    to.nl_pid = port;
    to.nl_groups = groups;
    ssize_t n;
    do {
        n = sendto(fd, buf, len, 0, (struct sockaddr *)&to, sizeof to);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : n;
}

ssize_t mptop_netlink_send(int fd, const void *buf, size_t len) {
    return mptop_netlink_send_to(fd, buf, len, 0, 0);
}

long long mptop_netlink_port(int fd) {
    struct sockaddr_nl addr;
    socklen_t len = sizeof addr;
    memset(&addr, 0, sizeof addr);
    if (getsockname(fd, (struct sockaddr *)&addr, &len) < 0) return -errno;
    return addr.nl_pid;
}

ssize_t mptop_netlink_recv(int fd, void *buf, size_t len, int *truncated, int *from_kernel) {
    struct sockaddr_nl from;
    struct iovec iov = { .iov_base = buf, .iov_len = len };
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    ssize_t n;
    do {
        n = recvmsg(fd, &msg, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return -errno;
    if (truncated) *truncated = (msg.msg_flags & MSG_TRUNC) ? 1 : 0;
    // The kernel sends from port 0, unicast and multicast alike; any other port is a process.
    if (from_kernel) *from_kernel = msg.msg_namelen >= sizeof from && from.nl_family == AF_NETLINK && from.nl_pid == 0;
    return n;
}

int mptop_netlink_join_group(int fd, unsigned int group) {
    if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0) return -errno;
    return 0;
}

int mptop_setns_net(int fd) {
    return setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
}

int mptop_mptcp_socket(int family) {
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 262);
    return fd < 0 ? -errno : fd;
}

int mptop_pidfd_open(pid_t pid) {
    long fd = syscall(SYS_pidfd_open, pid, 0);
    return fd < 0 ? -errno : (int)fd;
}

int mptop_pidfd_send_signal(int pidfd, int sig) {
    return syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0 ? -errno : 0;
}

int mptop_bpf(int cmd, void *attr, unsigned int size) {
    long r;
    do {
        r = syscall(SYS_bpf, cmd, attr, size);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : (int)r;
}
