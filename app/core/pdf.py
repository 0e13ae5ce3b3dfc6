"""HTML to PDF with WeasyPrint, imported on first use (it is heavy and loads system libraries)."""

# Chinese in simplified glyphs first (Debian's fonts-noto-cjk, installed by `make system-deps`), then Latin.
FONT_STACK = '"Noto Sans CJK SC", "Noto Sans", "DejaVu Sans", sans-serif'


def html_to_pdf(html: str, base_url: str, css: str = "") -> bytes:
    import weasyprint
    from PIL import ImageFile

    # Importing WeasyPrint makes Pillow accept truncated images in the whole process; a damaged photo must
    # still be refused (app/media/images.py), so Pillow's default is put back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    stylesheets = [weasyprint.CSS(string=css)] if css else []
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(stylesheets=stylesheets)
