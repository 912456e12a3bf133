// Shared by the bench's HTTP load clients: N connections to one URL, each sent one GET and registered (non-blocking,
// EPOLLIN, data = its index) in a new epoll set. fds[i] is -1 for a connection that failed.
#pragma once
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

// Returns the epoll fd; *connected counts the connections made.
static int connect_clients(const char *host, int port, const char *path, int n, int *fds, int *connected) {
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port) };
  inet_pton(AF_INET, host, &addr.sin_addr);
  char request[512];
  int rlen = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, host);
  int ep = epoll_create1(0);
  *connected = 0;
  for (int i = 0; i < n; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    fds[i] = -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) { perror("connect"); close(fd); continue; }
    if (write(fd, request, rlen) != rlen) { perror("write"); }
    fcntl(fd, F_SETFL, O_NONBLOCK);
    fds[i] = fd;
    (*connected)++;
    struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  }
  return ep;
}
