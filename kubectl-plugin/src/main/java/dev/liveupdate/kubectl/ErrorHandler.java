package dev.liveupdate.kubectl;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns what a command throws into one clear line on stderr and an exit code; never a stack trace. */
final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        Object root = cmd.getCommandSpec().root().userObject();
        String server = root instanceof LiveUpdateCommand r ? r.server() : null;
        cmd.getErr().println("error: " + describe(e, server));
        cmd.getErr().flush();
        return exitCode(e);
    }

    static int exitCode(Throwable e) {
        if (e instanceof CliException c) {
            return c.exitCode();
        }
        if (e instanceof KubernetesClientException k && k.getCode() == 404) {
            return ExitCodes.NOT_FOUND;
        }
        return ExitCodes.API_ERROR;
    }

    static String describe(Throwable e) {
        return describe(e, null);
    }

    /** @param server the API server's URL when known, for "cannot reach" */
    static String describe(Throwable e, String server) {
        if (e instanceof CliException) {
            return e.getMessage();
        }
        if (e instanceof KubernetesClientException k) {
            String status = k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage() : null;
            if (k.getCode() > 0) {
                return "the API server answered " + k.getCode() + ": " + (status != null ? status : k.getMessage());
            }
            return "cannot reach the API server" + (server == null ? "" : " " + server)
                    + " (check --kubeconfig, --context and the cluster): " + networkCause(k);
        }
        return e.getClass().getSimpleName() + ": " + rootMessage(e);
    }

    /** The cause a person can act on: a refused connection or unknown host by name, else the deepest message. */
    static String networkCause(Throwable e) {
        Throwable deepestWithMessage = null;
        for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused or host unreachable (" + name(t) + ")";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host (" + name(t) + ")";
            }
            if (t.getMessage() != null) {
                deepestWithMessage = t;
            }
        }
        return deepestWithMessage != null ? name(deepestWithMessage) : String.valueOf(e.getMessage());
    }

    private static String name(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t == e ? String.valueOf(m) : e.getMessage() + " (" + t.getClass().getSimpleName() + ": " + m + ")";
    }
}
