import java.lang.reflect.Field;
import java.util.Arrays;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Runs DynamoDB Local for the local cloud, with two things its own command line cannot do:
 * it listens on one address only (DynamoDB Local has no option for that and listens on
 * every interface), and it ends when the process that started it is gone: when its
 * standard input reaches end of file, which happens when that process exits, also by
 * SIGKILL or a crash.
 *
 * Usage: java -cp DynamoDBLocal.jar BoundDynamoDbLocal.java ADDRESS [DynamoDB Local's options]
 * Prints READY_LINE once it listens; exits 1 when it cannot listen.
 */
public final class BoundDynamoDbLocal {
  static final String READY_LINE = "roomcast: DynamoDB Local listens";

  public static void main(String[] args) throws Exception {
    endWhenStdinCloses();
    String address = args[0];
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(Arrays.copyOfRange(args, 1, args.length));
    Server jetty = jettyOf(proxy);
    for (Connector connector : jetty.getConnectors()) ((ServerConnector) connector).setHost(address);
    proxy.start();
    if (!jetty.isStarted()) System.exit(1);
    System.out.println(READY_LINE);
    System.out.flush();
    proxy.join();
  }

  /** The Jetty server DynamoDB Local made (a private field: DynamoDB Local exposes no host setting). */
  private static Server jettyOf(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    return (Server) field.get(proxy);
  }

  /** A daemon thread reads standard input to its end, then exits the JVM. */
  private static void endWhenStdinCloses() {
    Thread watchdog = new Thread(() -> {
      byte[] buffer = new byte[256];
      try {
        while (System.in.read(buffer) >= 0) {
          // Nothing is sent on this pipe; it only tells that the parent lives.
        }
      } catch (java.io.IOException closed) {
        // The same as end of file.
      }
      Runtime.getRuntime().halt(0);
    }, "roomcast-parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
