// Readiness probe for scripts/kafka/kafka.sh: waits until a Kafka broker answers real Kafka requests.
//
// Usage: java -cp 'PROBE_DIR:LIBS/*' KafkaReady <bootstrap> <timeoutMs> [brokerPid]
// Exit codes: 0 ready, 1 timed out, 2 the broker process (brokerPid) exited, 64 bad usage.
//
// "Ready" means: the AdminClient gets a DescribeCluster answer listing at least one broker and an
// active controller, and a Metadata request (listTopics) succeeds. kafka.sh compiles this file once
// into the jar cache (javac from the JDK) so each wait costs one JVM start, not one per poll.

import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.Node;

public final class KafkaReady {
  private KafkaReady() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: KafkaReady <bootstrap> <timeoutMs> [brokerPid]");
      System.exit(64);
    }
    final String bootstrap = args[0];
    final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[1]));
    final long pid = args.length == 3 ? Long.parseLong(args[2]) : -1L;

    final Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "bmpwatch-kafka-ready");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
    props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "100");
    props.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "500");

    String lastProblem = "no answer yet";
    try (Admin admin = Admin.create(props)) {
      while (System.nanoTime() < deadline) {
        if (pid > 0 && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          System.err.println("kafka-ready: broker process " + pid + " exited");
          System.exit(2);
        }
        try {
          final DescribeClusterResult cluster =
              admin.describeCluster(new DescribeClusterOptions().timeoutMs(2500));
          final Collection<Node> nodes = cluster.nodes().get(3, TimeUnit.SECONDS);
          final Node controller = cluster.controller().get(3, TimeUnit.SECONDS);
          if (nodes.isEmpty() || controller == null || controller.isEmpty()) {
            lastProblem = "cluster has no live broker or controller yet";
          } else {
            admin.listTopics(new ListTopicsOptions().timeoutMs(2500).listInternal(true))
                .names()
                .get(3, TimeUnit.SECONDS);
            System.exit(0);
          }
        } catch (Exception e) {
          final Throwable cause = e.getCause() != null ? e.getCause() : e;
          lastProblem = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
        Thread.sleep(200);
      }
    }
    System.err.println("kafka-ready: " + bootstrap + " not ready in time (" + lastProblem + ")");
    System.exit(1);
  }
}
