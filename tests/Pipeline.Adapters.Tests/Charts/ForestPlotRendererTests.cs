using System.Buffers.Binary;
using Pipeline.Adapters.Charts;
using Pipeline.Core.Alerts;
using Pipeline.Core.Text.AlertEmails;

namespace Pipeline.Adapters.Tests.Charts;

public class ForestPlotRendererTests
{
    [Fact]
    public void A_forest_plot_renders_as_a_png_sized_for_its_rows()
    {
        var plot = new ForestPlot("Ratio to reference with 95% CI, 2026-10",
        [
            new ForestPlotRow("R0A stillbirth Black", 1.74, 1.25, 2.40, AlertSeverity.Alert),
            new ForestPlotRow("R0A smoking_at_booking IMD quintile 1", 3.2, 2.3, 4.41, AlertSeverity.Alert),
            new ForestPlotRow("R0A breastmilk_first_feed Asian", 0.7, 0.55, 0.89, AlertSeverity.Watch),
        ]);

        var png = ForestPlotRenderer.RenderPng(plot);

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(ForestPlotRenderer.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(ForestPlotRenderer.Height(3), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        Assert.True(png.Length > 5_000, $"a {png.Length}-byte PNG is too small to hold the drawing");
    }
}
