using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class ErrorMappingTests
{
    [Theory]
    [InlineData(NsockErrorKind.BadInput, "InvalidArgument")]
    [InlineData(NsockErrorKind.Refused, "ConnectionError")]
    [InlineData(NsockErrorKind.TimedOut, "OperationTimeout")]
    [InlineData(NsockErrorKind.Unreachable, "ConnectionError")]
    [InlineData(NsockErrorKind.NameNotFound, "ObjectNotFound")]
    [InlineData(NsockErrorKind.Tls, "SecurityError")]
    [InlineData(NsockErrorKind.Io, "ConnectionError")]
    [InlineData(NsockErrorKind.NotSupported, "NotImplemented")]
    public void Each_engine_error_kind_has_its_category(NsockErrorKind kind, string category) =>
        Assert.Equal(category, ErrorMapping.For(kind).Category);

    [Fact]
    public void Every_category_used_is_a_real_PowerShell_ErrorCategory()
    {
        var used = Enum.GetValues<NsockErrorKind>().Select(k => ErrorMapping.For(k).Category)
            .Concat(new Exception[] { new IOException(), new UnauthorizedAccessException(), new FileNotFoundException(), new SocketException() }.Select(e => ErrorMapping.For(e)!.Category))
            .Concat(new[] { ErrorMapping.ForFile(Result(FileStatus.Refused)).Category, ErrorMapping.ForFile(Result(FileStatus.Failed)).Category });
        foreach (string category in used) Assert.Contains(category, SmaReference.ErrorCategories);
    }

    [Fact]
    public void Every_kind_has_its_own_error_id_except_that_io_stays_io()
    {
        var ids = Enum.GetValues<NsockErrorKind>().Select(k => ErrorMapping.For(k).ErrorId).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[A-Za-z]+$", id));
    }

    [Fact]
    public void An_engine_exception_maps_by_its_kind()
    {
        Assert.Equal(ErrorMapping.For(NsockErrorKind.TimedOut), ErrorMapping.For(new NsockException(NsockErrorKind.TimedOut, "x")));
        Assert.Equal("PathNotFound", ErrorMapping.For(new FileNotFoundException())!.ErrorId);
        Assert.Equal("PermissionDenied", ErrorMapping.For(new UnauthorizedAccessException())!.Category);
    }

    [Fact]
    public void Programming_errors_are_not_turned_into_error_records()
    {
        Assert.Null(ErrorMapping.For(new InvalidOperationException()));
        Assert.Null(ErrorMapping.For(new NullReferenceException()));
        Assert.Null(ErrorMapping.For(new OperationCanceledException()));
    }

    private static FileResult Result(FileStatus status) => new("a.txt", 1, null, false, status, "why", 0, 0, 0);
}
