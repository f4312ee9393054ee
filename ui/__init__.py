"""The Qt desktop application: main window, screens with their controllers, table models.

Widgets hold no business rules: each screen has a QObject controller that calls the services
and turns results and domain errors into signals the widgets connect to.
"""
