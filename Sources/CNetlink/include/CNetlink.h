// The only C in mptop: the bits of the socket API Swift cannot import from Glibc
// (struct sockaddr_nl lives in <linux/netlink.h>, setns needs _GNU_SOURCE, pidfd and bpf
// calls are raw syscalls, and Swift cannot call the variadic syscall(2) itself).
// Kernel constants and struct layouts are NOT taken from the installed 6.1 uapi headers:
// they are older than the running kernel, so Swift decodes everything by offset and length.
#ifndef MPTOP_CNETLINK_H
#define MPTOP_CNETLINK_H

#include <stddef.h>
#include <sys/types.h>

/// Opens and binds a netlink socket of `protocol` (4 = SOCK_DIAG, 0 = ROUTE, 16 = GENERIC)
/// with a receive buffer of `rcvbuf` bytes, connected to the kernel so that no other process
/// can send it unicast. Returns the descriptor, or -errno.
int mptop_netlink_open(int protocol, int rcvbuf);

/// Sends one request to the kernel (netlink port 0). Returns bytes sent, or -errno.
ssize_t mptop_netlink_send(int fd, const void *buf, size_t len);

/// Sends one datagram to netlink port `port` and multicast `groups` (a bitmask).
/// Returns bytes sent, or -errno.
ssize_t mptop_netlink_send_to(int fd, const void *buf, size_t len, unsigned int port, unsigned int groups);

/// The socket's own port id (nl_pid), or -errno.
long long mptop_netlink_port(int fd);

/// Receives one datagram. Returns bytes received, or -errno. Sets *truncated when MSG_TRUNC,
/// and *from_kernel when the sender was the kernel (port 0), not a process.
ssize_t mptop_netlink_recv(int fd, void *buf, size_t len, int *truncated, int *from_kernel);

/// Joins a netlink multicast group. Returns 0 or -errno.
int mptop_netlink_join_group(int fd, unsigned int group);

/// Moves the calling thread into the network namespace behind `fd`. Returns 0 or -errno.
int mptop_setns_net(int fd);

/// A pidfd for `pid` (pidfd_open, Linux 5.3): it names that one process, so a signal sent
/// through it cannot reach another process that was given the same pid later. Returns fd or -errno.
int mptop_pidfd_open(pid_t pid);

/// Sends `sig` through a pidfd. Returns 0 or -errno (ESRCH once the process has exited).
int mptop_pidfd_send_signal(int pidfd, int sig);

/// The bpf(2) system call with `size` bytes of `union bpf_attr` at `attr` (laid out by the
/// caller). Returns its result (a descriptor for the commands that make one), or -errno.
int mptop_bpf(int cmd, void *attr, unsigned int size);

/// Creates a stream socket of `family` with protocol IPPROTO_MPTCP (262). Returns fd or -errno.
int mptop_mptcp_socket(int family);

#endif
