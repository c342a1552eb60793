// grpc-go yardstick for the stream workload: one Channel session carrying N small messages
// ("0".."N-1"), one sender and one receiver goroutine on the client, the server answering
// "hello:" + value per message as the seed server does, and every reply checked in order.
//
//	bench server [-host 127.0.0.1] [-port 0]        prints "listening on HOST:PORT" once ready
//	bench client -target HOST:PORT [-messages N]    prints one result line, exits 1 on any error
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strconv"
	"time"

	chat "hello/chat"

	"google.golang.org/grpc"
)

type server struct{}

func (server) Hello(ctx context.Context, in *chat.String) (*chat.String, error) {
	return &chat.String{Value: "hello:" + in.GetValue()}, nil
}

func (server) Channel(stream chat.HelloService_ChannelServer) error {
	for {
		in, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.Send(&chat.String{Value: "hello:" + in.GetValue()}); err != nil {
			return err
		}
	}
}

func runServer(args []string) {
	fs := flag.NewFlagSet("server", flag.ExitOnError)
	host := fs.String("host", "127.0.0.1", "address to listen on")
	port := fs.Int("port", 0, "port to listen on (0: any free port)")
	fs.Parse(args)

	lis, err := net.Listen("tcp", net.JoinHostPort(*host, strconv.Itoa(*port)))
	if err != nil {
		log.Fatal(err)
	}
	s := grpc.NewServer()
	chat.RegisterHelloServiceServer(s, server{})
	fmt.Println("listening on", lis.Addr())
	log.Fatal(s.Serve(lis))
}

func runClient(args []string) {
	fs := flag.NewFlagSet("client", flag.ExitOnError)
	target := fs.String("target", "127.0.0.1:1234", "server address")
	n := fs.Int("messages", 1000000, "messages to send on the stream")
	fs.Parse(args)

	conn, err := grpc.Dial(*target, grpc.WithInsecure(), grpc.WithBlock())
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	stream, err := chat.NewHelloServiceClient(conn).Channel(context.Background())
	if err != nil {
		log.Fatal(err)
	}

	start := time.Now()
	go func() {
		for i := 0; i < *n; i++ {
			if err := stream.Send(&chat.String{Value: strconv.Itoa(i)}); err != nil {
				log.Fatalf("send %d: %v", i, err)
			}
		}
		if err := stream.CloseSend(); err != nil {
			log.Fatal(err)
		}
	}()

	done := make(chan struct{})
	go func() {
		for i := 0; i < *n; i++ {
			reply, err := stream.Recv()
			if err != nil {
				log.Fatalf("receive %d: %v", i, err)
			}
			if want := "hello:" + strconv.Itoa(i); reply.GetValue() != want {
				log.Fatalf("reply %d: got %q, want %q", i, reply.GetValue(), want)
			}
		}
		if _, err := stream.Recv(); err != io.EOF {
			log.Fatalf("after %d replies: expected end of stream, got %v", *n, err)
		}
		close(done)
	}()
	<-done
	secs := time.Since(start).Seconds()

	fmt.Printf("grpc-go stream: %d messages in %.2f s = %.0f messages/s\n", *n, secs, float64(*n)/secs)
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: bench server [-host H] [-port P] | bench client -target H:P [-messages N]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "server":
		runServer(os.Args[2:])
	case "client":
		runClient(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", os.Args[1])
		os.Exit(2)
	}
}
